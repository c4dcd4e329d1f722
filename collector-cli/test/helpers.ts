import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBundle, type Bundle } from '../../core/bundle/index.ts';

export const TLAB = fileURLToPath(new URL('../bin/tlab.js', import.meta.url));
export const isRoot = process.getuid?.() === 0;

export interface TlabRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `tlab ARGS` as a real process; `onStart` gets it once spawned (to signal it). */
export function runTlab(args: string[], opts: { env?: NodeJS.ProcessEnv; onStderr?: (text: string, pid: number) => void } = {}): Promise<TlabRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TLAB, ...args], { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr, child.pid!);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export async function readBack(path: string): Promise<Bundle> {
  const r = await readBundle(new Uint8Array(readFileSync(path)), { keepRaw: true });
  if (!r.ok) throw new Error(`bundle does not read back: ${JSON.stringify(r.error)}`);
  return r.bundle;
}

export function tempDir(prefix = 'tlab-test-'): string {
  return mkdtempSync(join(os.tmpdir(), prefix));
}

/** Counts of a dictionary/text column's values. */
export function countBy(values: readonly (string | null)[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of values) if (v !== null) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
}

/** A directory of links to every program on PATH except the ones named: a PATH where those are "not installed". */
export function pathWithout(names: string[]): string {
  const dir = tempDir('tlab-path-');
  const seen = new Set<string>(names);
  for (const p of (process.env.PATH ?? '').split(':')) {
    let entries: string[];
    try {
      entries = readdirSync(p);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (seen.has(e)) continue;
      seen.add(e);
      try {
        symlinkSync(join(p, e), join(dir, e));
      } catch {
        // A name that cannot be linked is one program fewer; the tests need only the common ones.
      }
    }
  }
  return dir;
}

export function cgroup2Mount(): string | null {
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, dir, type] = line.split(' ');
    if (type === 'cgroup2' && dir) return dir;
  }
  return null;
}

export function tracefsRoot(): string | null {
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, dir, type] = line.split(' ');
    if (type === 'tracefs' && dir) return dir;
  }
  return null;
}

/** Processes whose command line contains `needle` (from /proc, so no pgrep pattern quirks). */
export function processesMatching(needle: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(needle)) out.push(`${name}: ${cmd}`);
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}
