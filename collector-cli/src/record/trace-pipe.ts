import { closeSync, constants, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 20;

/**
 * Reads trace_pipe without blocking, in batches on a timer. A reader that wakes on every event (cat, or a
 * blocking read) makes sched events of its own, which wake it again: a feedback loop that floods the
 * trace. Batching keeps the reader's own footprint to a few events per poll.
 */
export class TracePipePoller {
  private fd: number | null;
  private timer: NodeJS.Timeout | null = null;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  /** CPU time spent reading, in seconds of this process (for the overhead figures). */
  cpuSeconds = 0;

  constructor(
    path: string,
    private readonly onChunk: (chunk: Uint8Array) => void,
    private readonly everyMs = 100,
  ) {
    this.fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  }

  start(): void {
    const tick = () => {
      this.drain();
      if (this.fd !== null) this.timer = setTimeout(tick, this.everyMs);
    };
    this.timer = setTimeout(tick, this.everyMs);
  }

  /** Reads everything buffered now. */
  drain(): void {
    if (this.fd === null) return;
    const t0 = process.cpuUsage();
    for (;;) {
      let n: number;
      try {
        n = readSync(this.fd, this.buf, 0, CHUNK, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') break;
        throw e;
      }
      if (n <= 0) break;
      this.onChunk(Uint8Array.prototype.slice.call(this.buf, 0, n));
    }
    const d = process.cpuUsage(t0);
    this.cpuSeconds += (d.user + d.system) / 1e6;
  }

  /** Drains what is left and closes. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.drain();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
