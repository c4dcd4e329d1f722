/**
 * Charts are created one per frame rather than all at once: a dozen ECharts inits in one task would block
 * the main thread for well over 100 ms on a small machine.
 */
const queue: (() => void)[] = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  const job = queue.shift();
  job?.();
  if (queue.length) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => setTimeout(drain, 0));
}

/**
 * `next`: run this job before the others waiting (a chart's data step, queued by its own init, comes straight
 * after it, so the first chart is drawn with its data two frames in, not after every other chart's init).
 */
export function enqueueRender(job: () => void, next = false): () => void {
  if (next) queue.unshift(job);
  else queue.push(job);
  schedule();
  return () => {
    const i = queue.indexOf(job);
    if (i >= 0) queue.splice(i, 1);
  };
}
