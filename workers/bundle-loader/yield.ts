/**
 * Lets the worker's event loop run (messages queued meanwhile are handled) before the caller goes on. A
 * MessageChannel task, not setTimeout(0): browsers clamp nested timeouts to 4 ms, which would add up over a
 * long build cut into hundreds of steps.
 */
export function yieldToEvents(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}
