import type { InflatePool, PoolAnswer, PoolTask } from '../../core/bundle/unzip-stream.ts';
import type { InflateEndpoint, InflateReply } from './protocol.ts';

interface Job {
  readonly task: PoolTask;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (a: PoolAnswer) => void;
}
interface Slot {
  endpoint: InflateEndpoint | null;
  job: Job | null;
  deadline: ReturnType<typeof setTimeout> | undefined;
  /** The id the job was sent under: a late reply to an earlier one is not taken for it. */
  jobId: number;
  broken: boolean;
}

/**
 * Up to `size` inflate workers, started when first needed and kept: each inflates one entry at a time, in the
 * order the entries were given. A job whose read was cancelled before it started is dropped; a worker that fails
 * (it could not start, died, or did not answer in time) answers null for its job and is not used again, so the
 * reader inflates the entries itself and nothing is lost.
 */
export function createInflatePool(size: number, spawn: () => InflateEndpoint, deadlineMs = 5000): InflatePool & { readonly started: () => number; warm(): void } {
  const slots: Slot[] = Array.from({ length: size }, () => ({ endpoint: null, job: null, deadline: undefined, jobId: -1, broken: false }));
  const queue: Job[] = [];
  let nextId = 0;

  const finish = (slot: Slot, answer: PoolAnswer) => {
    const job = slot.job;
    slot.job = null;
    clearTimeout(slot.deadline);
    job?.resolve(answer);
    pump();
  };

  const fail = (slot: Slot) => {
    slot.broken = true;
    slot.endpoint?.terminate?.();
    slot.endpoint = null;
    finish(slot, null);
  };

  const start = (slot: Slot): InflateEndpoint | null => {
    if (slot.endpoint) return slot.endpoint;
    try {
      const endpoint = spawn();
      endpoint.onmessage = (e: MessageEvent<InflateReply>) => {
        if (slot.job && e.data.id === slot.jobId) finish(slot, e.data.answer);
      };
      endpoint.onerror = () => fail(slot);
      slot.endpoint = endpoint;
      return endpoint;
    } catch {
      slot.broken = true;
      return null;
    }
  };

  function pump(): void {
    for (const slot of slots) {
      if (slot.broken || slot.job) continue;
      let job = queue.shift();
      while (job?.signal?.aborted) {
        job.resolve(null);
        job = queue.shift();
      }
      if (!job) return;
      const endpoint = start(slot);
      if (!endpoint) {
        queue.unshift(job);
        continue;
      }
      slot.job = job;
      slot.jobId = nextId++;
      // A worker that never answers (killed without an error event) must not hold the read up: past a deadline far
      // beyond any real inflate (5 s, and 1 s a MiB compressed: inflating runs at tens of MiB/s) it is given up.
      slot.deadline = setTimeout(() => fail(slot), deadlineMs + job.task.compressed.byteLength / 1024);
      endpoint.postMessage({ id: slot.jobId, task: job.task }, [job.task.compressed.buffer as ArrayBuffer]);
    }
    // Every worker failed: what is left is inflated by the reader.
    if (slots.every((s) => s.broken)) for (const job of queue.splice(0)) job.resolve(null);
  }

  return {
    inflate(task, signal) {
      let job: Job | null = null;
      const answer = new Promise<PoolAnswer>((resolve) => {
        job = { task, signal, resolve };
        queue.push(job);
        pump();
      });
      return {
        answer,
        take: () => {
          const at = job ? queue.indexOf(job) : -1;
          if (at < 0) return false;
          queue.splice(at, 1);
          job!.resolve(null);
          return true;
        },
      };
    },
    // Started before the first read: a worker's start (its module loaded and compiled) took ~100 ms, longer than
    // the entries it was to inflate.
    warm() {
      for (const slot of slots) if (!slot.broken) start(slot);
    },
    started: () => slots.filter((s) => s.endpoint).length,
  };
}
