import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { FtraceParser, type FtraceResult } from '../../importers/ftrace.ts';
import { ensureTracefs, TRACEFS } from './tracefs-capture.ts';

/**
 * Node-only test helper around the real trace-cmd. `trace-cmd record` cannot run in this container (it must
 * write /proc/sys/kernel/ftrace_enabled, which is read-only here), so events are enabled in a private tracefs
 * instance and its buffer is taken with `trace-cmd extract -B`, which writes the same file format.
 */
export function extractTraceDat(out: string, events: readonly string[], workload: string, bufferKb = 4096): void {
  ensureTracefs();
  const name = `tlab-dat-${process.pid}-${Date.now() % 100000}`;
  const dir = `${TRACEFS}/instances/${name}`;
  mkdirSync(dir);
  try {
    writeFileSync(`${dir}/buffer_size_kb`, String(bufferKb));
    for (const e of events) writeFileSync(`${dir}/events/${e}/enable`, '1');
    const run = spawnSync('sh', ['-c', workload], { encoding: 'utf8' });
    writeFileSync(`${dir}/tracing_on`, '0');
    if (run.status !== 0) throw new Error(`workload failed (${run.status}): ${run.stderr}`);
    execFileSync('trace-cmd', ['extract', '-B', name, '-o', out], { stdio: 'pipe' });
  } finally {
    // trace-cmd extract -B removes the instance when it is done with it.
    if (existsSync(dir)) {
      for (const e of events) writeFileSync(`${dir}/events/${e}/enable`, '0');
      rmdirSync(dir);
    }
  }
}

/** `trace-cmd convert`: another file version or compression of the same trace. */
export function convertTraceDat(input: string, out: string, args: readonly string[]): void {
  execFileSync('trace-cmd', ['convert', '-i', input, '-o', out, ...args], { stdio: 'pipe' });
}

/** `trace-cmd report -t` (nanosecond times) of a file, read by the ftrace text importer. */
export function reportOf(file: string): FtraceResult & { text: string } {
  const text = execFileSync('trace-cmd', ['report', '-t', '-i', file], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  const p = new FtraceParser();
  for (const line of text.split('\n')) p.pushLine(line);
  return { ...p.finish(), text };
}
