import type { PoolAnswer, PoolTask } from '../../core/bundle/unzip-stream.ts';

/** The loader's message to an inflate worker: one entry at a time. */
export interface InflateRequest {
  readonly id: number;
  readonly task: PoolTask;
}
export interface InflateReply {
  readonly id: number;
  readonly answer: PoolAnswer;
}

/** What the pool needs of a worker (a Worker, or a MessagePort in tests). */
export interface InflateEndpoint {
  postMessage(message: InflateRequest, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent<InflateReply>) => void) | null;
  onerror?: ((e: ErrorEvent) => void) | null;
  terminate?(): void;
}
