import { closeSync, constants, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** Pages gathered before one write to the spool file: fewer system calls than a write per page. */
const BATCH_PAGES = 64;

export interface CpuSpool {
  cpu: number;
  /** File holding this CPU's pages back to back, in the order the kernel handed them out. */
  path: string;
  pages: number;
}

interface CpuPipe {
  cpu: number;
  fd: number | null;
  spoolFd: number | null;
  spool: string;
  pages: number;
  batch: Buffer;
  fill: number;
}

/**
 * Reads every CPU's trace_pipe_raw in whole ring-buffer pages, without blocking, in batches on a timer, and
 * spools the pages to one file per CPU (a long recording would not fit in memory). Nothing is decoded here:
 * copying pages costs a read per page, where trace_pipe costs the kernel's formatting and our parsing per event.
 * A read of a page-sized buffer returns exactly one page (the kernel's reader page, swapped out when full,
 * copied out when the writer is still on it), or EAGAIN when the CPU's buffer is empty.
 */
export class RawPipeReader {
  private readonly pipes: CpuPipe[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** CPU time spent reading and spooling, in seconds of this process. */
  cpuSeconds = 0;
  bytes = 0;
  /** Reads that returned less than a page: they should not happen; counted so the outcome can say so. */
  shortReads = 0;
  /** Read errors other than "empty": that CPU is no longer read (a throw from the timer would end the process). */
  readonly failures: string[] = [];

  /**
   * Opens every CPU's pipe; throws naming the file when one cannot be opened, before anything is read, so the
   * caller can fall back to trace_pipe.
   */
  constructor(
    pipePath: (cpu: number) => string,
    cpus: number,
    readonly pageSize: number,
    spoolDir: string,
    private readonly everyMs = 100,
  ) {
    try {
      for (let cpu = 0; cpu < cpus; cpu++) {
        const path = pipePath(cpu);
        let fd: number;
        try {
          fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
        } catch (e) {
          throw new Error(`${path}: ${(e as Error).message}`);
        }
        const spool = join(spoolDir, `cpu${cpu}.pages`);
        this.pipes.push({ cpu, fd, spoolFd: openSync(spool, 'w'), spool, pages: 0, batch: Buffer.alloc(pageSize * BATCH_PAGES), fill: 0 });
      }
    } catch (e) {
      this.closeAll();
      throw e;
    }
  }

  start(): void {
    const tick = () => {
      this.drain();
      if (this.timer) this.timer = setTimeout(tick, this.everyMs);
    };
    this.timer = setTimeout(tick, this.everyMs);
  }

  get pages(): number {
    return this.pipes.reduce((a, p) => a + p.pages, 0);
  }

  /** Reads every page buffered now, on every CPU. */
  drain(): void {
    const t0 = process.cpuUsage();
    for (const p of this.pipes) {
      try {
        this.drainCpu(p);
      } catch (e) {
        // Spooling failed (a full disk): the pages of this read are gone, and so is this CPU from here on.
        this.failures.push(`spooling CPU ${p.cpu}'s pages to ${p.spool} failed after ${p.pages} pages, so later events are missing: ${(e as Error).message}`);
        if (p.fd !== null) closeSync(p.fd);
        p.fd = null;
        p.fill = 0;
      }
    }
    const d = process.cpuUsage(t0);
    this.cpuSeconds += (d.user + d.system) / 1e6;
  }

  private drainCpu(p: CpuPipe): void {
    if (p.fd === null) return;
    for (;;) {
      let n: number;
      try {
        n = readSync(p.fd, p.batch, p.fill, this.pageSize, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') break;
        this.failures.push(`reading CPU ${p.cpu}'s trace_pipe_raw failed after ${p.pages} pages, so its later events are missing: ${(e as Error).message}`);
        closeSync(p.fd);
        p.fd = null;
        break;
      }
      if (n <= 0) break;
      if (n < this.pageSize) {
        // Keep the page whole (zero-filled) so that the spool stays an array of pages.
        this.shortReads++;
        p.batch.fill(0, p.fill + n, p.fill + this.pageSize);
      }
      p.fill += this.pageSize;
      p.pages++;
      this.bytes += this.pageSize;
      if (p.fill === p.batch.byteLength) this.flush(p);
    }
    this.flush(p);
  }

  private flush(p: CpuPipe): void {
    if (p.fill === 0 || p.spoolFd === null) return;
    let off = 0;
    while (off < p.fill) off += writeSync(p.spoolFd, p.batch, off, p.fill - off);
    p.fill = 0;
  }

  /**
   * Drains what is left (call after tracing_on 0: the last, partly filled page comes out too) and closes.
   * Returns each CPU's spool.
   */
  stop(): CpuSpool[] {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      this.drain();
    } finally {
      this.closeAll();
    }
    return this.pipes.map((p) => ({ cpu: p.cpu, path: p.spool, pages: p.pages }));
  }

  private closeAll(): void {
    for (const p of this.pipes) {
      if (p.fd !== null) closeSync(p.fd);
      p.fd = null;
      if (p.spoolFd !== null) {
        this.flush(p);
        closeSync(p.spoolFd);
      }
      p.spoolFd = null;
    }
  }
}
