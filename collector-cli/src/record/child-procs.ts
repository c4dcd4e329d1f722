import { execFile, type ChildProcess } from 'node:child_process';
import { readProcStat } from './proc-files.ts';
import { clockTicks } from './sysconf.ts';

/** Runs a command to completion, never throwing: exit code (null on spawn failure) and both outputs. */
export function run(cmd: string, args: string[], timeoutMs = 10_000): Promise<{ code: number | null; stdout: string; stderr: string; error?: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      if (e && typeof e.code === 'string') resolve({ code: null, stdout, stderr, error: e.message });
      else resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, stdout, stderr });
    });
  });
}

/** First line of `tool --version`-style output, or null when the tool cannot be run. */
export async function toolVersion(cmd: string, args: string[]): Promise<string | null> {
  const r = await run(cmd, args);
  if (r.code === null) return null;
  const line = (r.stdout || r.stderr).split('\n')[0]?.trim() ?? '';
  return line || null;
}

/**
 * Tracks the CPU time of a helper process (strace, perf, the trace_pipe reader). Node cannot get a child's
 * rusage after it is reaped, so /proc/PID/stat is read each interval and the last reading stands.
 */
export class ChildCpu {
  private lastTicks = 0;
  constructor(readonly label: string, readonly child: ChildProcess) {}

  poll(): void {
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    const st = readProcStat(this.child.pid);
    if (st) this.lastTicks = st.utimeTicks + st.stimeTicks;
  }

  get seconds(): number {
    return this.lastTicks / clockTicks();
  }
}

/** Resolves when the child has exited (immediately if it already has). */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export function killQuietly(child: ChildProcess | null, sig: NodeJS.Signals): void {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(sig);
  } catch {
    // Already gone.
  }
}
