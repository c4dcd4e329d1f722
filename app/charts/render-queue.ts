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

export function enqueueRender(job: () => void): () => void {
  queue.push(job);
  schedule();
  return () => {
    const i = queue.indexOf(job);
    if (i >= 0) queue.splice(i, 1);
  };
}
