import { runInflateTask } from '../../core/bundle/inflate-task.ts';
import type { InflateReply, InflateRequest } from './protocol.ts';

interface Port {
  postMessage(message: InflateReply, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent<InflateRequest>) => void) | null;
}

/** An inflate worker's loop: each entry inflated as the reader's thread would, its bytes sent back without a copy. */
export function serveInflateTasks(port: Port): void {
  port.onmessage = async (e) => {
    const { id, task } = e.data;
    const answer = await runInflateTask(task);
    port.postMessage({ id, answer }, answer?.ok ? [answer.bytes.buffer as ArrayBuffer] : []);
  };
}
