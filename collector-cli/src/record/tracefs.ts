import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readText } from './proc-files.ts';
import { lostPerCpu } from './ring-stats.ts';

const CANDIDATES = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

function mountedTracefs(): string | null {
  for (const line of (readText('/proc/mounts') ?? '').split('\n')) {
    const [, dir, type] = line.split(' ');
    if (type === 'tracefs' && dir && existsSync(join(dir, 'trace_pipe'))) return dir;
  }
  for (const dir of CANDIDATES) if (existsSync(join(dir, 'trace_pipe'))) return dir;
  return null;
}

/**
 * A place to trace into, with a journal of every setting changed so that restore() puts back exactly what
 * was there. Prefers a private instance (instances/NAME), which leaves the global tracer alone entirely and
 * is removed at the end; falls back to the top-level buffer where instances are not supported.
 */
export class TraceSession {
  private journal: { file: string; value: string }[] = [];
  private restored = false;

  private constructor(
    readonly root: string,
    readonly dir: string,
    readonly isInstance: boolean,
    private readonly mountedByUs: boolean,
  ) {}

  /** Throws with the reason tracing is impossible (not root, no tracefs). */
  static open(name: string): TraceSession {
    if (process.getuid?.() !== 0) throw new Error('not root (tracefs needs root)');
    let root = mountedTracefs();
    let mountedByUs = false;
    if (!root) {
      try {
        execFileSync('mount', ['-t', 'tracefs', 'nodev', CANDIDATES[0]!], { stdio: 'pipe' });
      } catch (e) {
        throw new Error(`no tracefs: it is not mounted and mounting it failed (${String((e as { stderr?: Buffer }).stderr ?? e).trim()})`);
      }
      root = CANDIDATES[0]!;
      mountedByUs = true;
    }
    const instanceDir = join(root, 'instances', name);
    try {
      mkdirSync(instanceDir);
      return new TraceSession(root, instanceDir, true, mountedByUs);
    } catch {
      return new TraceSession(root, root, false, mountedByUs);
    }
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  read(file: string): string {
    return readFileSync(this.path(file), 'utf8');
  }

  /** Writes a setting, remembering its first value; what goes back on restore is the value before we came. */
  set(file: string, value: string): void {
    const path = this.path(file);
    if (!this.journal.some((j) => j.file === path)) this.journal.push({ file: path, value: currentValue(path) });
    writeFileSync(path, value);
  }

  /** A write that needs no undoing (clearing the buffer). */
  write(file: string, value: string): void {
    writeFileSync(this.path(file), value);
  }

  cpuCount(): number {
    let n = 0;
    while (existsSync(this.path(`per_cpu/cpu${n}`))) n++;
    return n;
  }

  /** Events lost per CPU (overrun, commit overrun and dropped), from per_cpu/cpuN/stats. */
  lostPerCpu(): number[] {
    return lostPerCpu(this.cpuCount(), (f) => this.path(f));
  }

  /** Puts every setting back in reverse order, removes the instance and unmounts what we mounted. Synchronous so
   * that it also works from an exit handler. Returns what could not be restored. */
  restore(): string[] {
    if (this.restored) return [];
    this.restored = true;
    const failures: string[] = [];
    for (const j of this.journal.reverse()) {
      try {
        writeFileSync(j.file, j.value);
      } catch (e) {
        failures.push(`${j.file}: ${(e as Error).message}`);
      }
    }
    this.journal = [];
    if (this.isInstance) {
      try {
        rmdirSync(this.dir);
      } catch (e) {
        failures.push(`${this.dir}: ${(e as Error).message}`);
      }
    }
    if (this.mountedByUs) {
      try {
        execFileSync('umount', [this.root], { stdio: 'pipe' });
      } catch (e) {
        failures.push(`umount ${this.root}: ${(e as Error).message}`);
      }
    }
    return failures;
  }
}

/** The value to write back: trace_clock reads "[local] global ...", buffer_size_kb may read "7 (expanded: 1408)". */
function currentValue(path: string): string {
  const t = readFileSync(path, 'utf8').trim();
  const selected = /\[([^\]]+)\]/.exec(t);
  if (selected && path.endsWith('trace_clock')) return selected[1]!;
  const expanded = /\(expanded:\s*(\d+)\)/.exec(t);
  if (expanded) return expanded[1]!;
  return t;
}
