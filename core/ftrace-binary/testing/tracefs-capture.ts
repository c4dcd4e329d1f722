import { spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmdirSync, writeFileSync } from 'node:fs';

/** Node-only test helper: a real capture from a private tracefs instance (so no one else's buffers are touched). */

export const TRACEFS = '/sys/kernel/tracing';

export function ensureTracefs(): void {
  if (existsSync(`${TRACEFS}/events/header_page`)) return;
  const r = spawnSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(`${TRACEFS}/events/header_page`)) throw new Error(`tracefs is not mounted at ${TRACEFS} and mounting it failed: ${r.stderr}`);
}

export interface RawInstanceCapture {
  headerPage: string;
  formats: { system: string; text: string }[];
  cpus: { cpu: number; pages: Uint8Array }[];
  /** The instance's `trace` text of the same buffer, read before the raw pipes consumed it. */
  text: string;
  pageSize: number;
  /** per_cpu/cpuN/stats after the capture, by CPU. */
  stats: string[];
}

let serial = 0;

/**
 * Enables `events` ("sys/name") in a fresh instance, runs `workload` (a shell command), stops tracing, reads the
 * text `trace`, then each CPU's trace_pipe_raw to its end (non-blocking reads of one page each).
 */
export function captureRawInstance(events: readonly string[], workload: string, bufferKb = 4096, readText = true): RawInstanceCapture {
  ensureTracefs();
  const dir = `${TRACEFS}/instances/tlab-ftb-${process.pid}-${serial++}`;
  mkdirSync(dir);
  try {
    writeFileSync(`${dir}/tracing_on`, '0');
    writeFileSync(`${dir}/buffer_size_kb`, String(bufferKb));
    for (const e of events) writeFileSync(`${dir}/events/${e}/enable`, '1');
    writeFileSync(`${dir}/tracing_on`, '1');
    const run = spawnSync('sh', ['-c', workload], { encoding: 'utf8' });
    writeFileSync(`${dir}/tracing_on`, '0');
    if (run.status !== 0) throw new Error(`workload failed (${run.status}): ${run.stderr}`);
    const text = readText ? readFileSync(`${dir}/trace`, 'utf8') : '';
    const subbufKb = existsSync(`${dir}/buffer_subbuf_size_kb`) ? Number(readFileSync(`${dir}/buffer_subbuf_size_kb`, 'utf8')) : 0;
    const pageSize = subbufKb ? subbufKb * 1024 : 4096;
    const cpuDirs = readdirSync(`${dir}/per_cpu`).filter((d) => /^cpu\d+$/.test(d));
    const cpus = cpuDirs.map((d) => ({ cpu: Number(d.slice(3)), pages: readPipe(`${dir}/per_cpu/${d}/trace_pipe_raw`, pageSize) }));
    const stats = cpuDirs.map((d) => readFileSync(`${dir}/per_cpu/${d}/stats`, 'utf8'));
    return {
      headerPage: readFileSync(`${dir}/events/header_page`, 'utf8'),
      formats: events.map((e) => ({ system: e.split('/')[0]!, text: readFileSync(`${dir}/events/${e}/format`, 'utf8') })),
      cpus,
      text,
      pageSize,
      stats,
    };
  } finally {
    for (const e of events) {
      try {
        writeFileSync(`${dir}/events/${e}/enable`, '0');
      } catch {
        // the instance is removed next
      }
    }
    rmdirSync(dir);
  }
}

function readPipe(path: string, pageSize: number): Uint8Array {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const parts: Uint8Array[] = [];
  try {
    for (;;) {
      const page = new Uint8Array(pageSize);
      let n: number;
      try {
        n = readSync(fd, page, 0, pageSize, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw e;
      }
      if (n === 0) break;
      if (n !== pageSize) throw new Error(`${path}: a read of ${n} bytes, not a whole page of ${pageSize}`);
      parts.push(page);
    }
  } finally {
    closeSync(fd);
  }
  const out = new Uint8Array(parts.length * pageSize);
  parts.forEach((p, i) => out.set(p, i * pageSize));
  return out;
}
