import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKeyValues, readText } from './proc-files.ts';

/** Where cgroup v2 is mounted (hybrid layouts put it under e.g. /sys/fs/cgroup/unified), from /proc/mounts. */
export function findCgroup2Mount(): string | null {
  const mounts = readText('/proc/mounts') ?? '';
  for (const line of mounts.split('\n')) {
    const [, dir, type] = line.split(' ');
    if (type === 'cgroup2' && dir) return dir.replace(/\\040/g, ' ');
  }
  return null;
}

const WANTED_CONTROLLERS = ['cpu', 'memory', 'io', 'pids'];
let counter = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface CgroupCpu {
  usageUsec: number;
  userUsec: number;
  systemUsec: number;
}

/** A cgroup v2 directory: one we created for the workload (owned) or one the user named (attached). */
export class Cgroup {
  /** Controllers this process turned on in the parent's subtree_control, to turn off again. */
  private enabledByUs: string[] = [];

  private constructor(
    readonly mount: string,
    /** Path relative to the mount, without a leading slash ("tlab-123-0"); what perf -G wants. */
    readonly relPath: string,
    readonly owned: boolean,
  ) {}

  get dir(): string {
    return join(this.mount, this.relPath);
  }

  get procsFile(): string {
    return join(this.dir, 'cgroup.procs');
  }

  /** Creates a fresh child of the cgroup v2 root. Throws with a readable message when that is impossible. */
  static create(): Cgroup {
    const mount = findCgroup2Mount();
    if (!mount) throw new Error('no cgroup2 file system is mounted');
    const rel = `tlab-${process.pid}-${counter++}`;
    const cg = new Cgroup(mount, rel, true);
    cg.enableControllers();
    try {
      mkdirSync(cg.dir);
    } catch (e) {
      cg.restoreControllers();
      throw new Error(`cannot create ${cg.dir}: ${(e as Error).message}`);
    }
    return cg;
  }

  /** An existing cgroup, named absolute or relative to the cgroup2 mount. */
  static attach(path: string): Cgroup {
    const mount = findCgroup2Mount();
    if (!mount) throw new Error('no cgroup2 file system is mounted');
    const rel = path.startsWith(mount) ? path.slice(mount.length) : path;
    const cg = new Cgroup(mount, rel.replace(/^\/+|\/+$/g, ''), false);
    if (!existsSync(cg.procsFile)) throw new Error(`${cg.dir} is not a cgroup v2 directory`);
    return cg;
  }

  /**
   * memory.current, io.stat and cpu.max need their controllers enabled in the parent's subtree_control.
   * In a hybrid layout most controllers are bound to v1 hierarchies and cannot be; then those files are absent.
   */
  private enableControllers(): void {
    const parent = this.mount;
    const available = (readText(join(parent, 'cgroup.controllers')) ?? '').trim().split(/\s+/);
    const enabled = (readText(join(parent, 'cgroup.subtree_control')) ?? '').trim().split(/\s+/);
    for (const c of WANTED_CONTROLLERS) {
      if (!available.includes(c) || enabled.includes(c)) continue;
      try {
        writeFileSync(join(parent, 'cgroup.subtree_control'), `+${c}`);
        this.enabledByUs.push(c);
      } catch {
        // Best effort: a controller that cannot be enabled only means fewer files to read.
      }
    }
  }

  private restoreControllers(): void {
    for (const c of this.enabledByUs.reverse()) {
      try {
        writeFileSync(join(this.mount, 'cgroup.subtree_control'), `-${c}`);
      } catch {
        // Another cgroup may have started using it meanwhile; leaving it on is harmless.
      }
    }
    this.enabledByUs = [];
  }

  get controllers(): string[] {
    return (readText(join(this.dir, 'cgroup.controllers')) ?? '').trim().split(/\s+/).filter(Boolean);
  }

  pids(): number[] {
    const t = readText(this.procsFile);
    if (!t) return [];
    return t.split('\n').filter(Boolean).map(Number);
  }

  populated(): boolean {
    const t = readText(join(this.dir, 'cgroup.events'));
    if (t === null) return this.pids().length > 0;
    return /^populated 1/m.test(t);
  }

  cpu(): CgroupCpu | null {
    const t = readText(join(this.dir, 'cpu.stat'));
    if (!t) return null;
    const kv = parseKeyValues(t);
    const usage = kv.get('usage_usec');
    if (usage === undefined) return null;
    return { usageUsec: usage, userUsec: kv.get('user_usec') ?? Number.NaN, systemUsec: kv.get('system_usec') ?? Number.NaN };
  }

  memoryCurrent(): number | null {
    const t = readText(join(this.dir, 'memory.current'));
    return t === null ? null : Number(t.trim());
  }

  /** io.stat summed over devices; null without the io controller. */
  io(): { rbytes: number; wbytes: number } | null {
    const t = readText(join(this.dir, 'io.stat'));
    if (t === null) return null;
    let rbytes = 0;
    let wbytes = 0;
    for (const m of t.matchAll(/\brbytes=(\d+)/g)) rbytes += Number(m[1]);
    for (const m of t.matchAll(/\bwbytes=(\d+)/g)) wbytes += Number(m[1]);
    return { rbytes, wbytes };
  }

  pressureFile(resource: string): string {
    return join(this.dir, `${resource}.pressure`);
  }

  /** Sends a signal to every process in the cgroup. */
  signal(sig: NodeJS.Signals): void {
    for (const pid of this.pids()) {
      try {
        process.kill(pid, sig);
      } catch {
        // Already gone.
      }
    }
  }

  /** cgroup.kill (5.14+) kills atomically, so nothing forks its way out; else SIGKILL each member. */
  killAll(): void {
    try {
      writeFileSync(join(this.dir, 'cgroup.kill'), '1');
    } catch {
      this.signal('SIGKILL');
    }
  }

  /** Kills what is left, waits for the cgroup to empty and removes it. Only for a cgroup we created. */
  async remove(timeoutMs = 5000): Promise<void> {
    if (!this.owned) return;
    const deadline = Date.now() + timeoutMs;
    if (this.populated()) this.killAll();
    while (this.populated() && Date.now() < deadline) await sleep(20);
    for (;;) {
      try {
        rmdirSync(this.dir);
        break;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        // EBUSY until the last zombie is reaped.
        if (code !== 'EBUSY' || Date.now() > deadline) throw new Error(`cannot remove ${this.dir}: ${(e as Error).message}`);
        await sleep(20);
      }
    }
    this.restoreControllers();
  }

  /** For a synchronous exit path: no waiting, one attempt. */
  removeSync(): void {
    if (!this.owned) return;
    try {
      this.killAll();
      const until = Date.now() + 500;
      // A short busy wait is acceptable here: this runs only when the process is already exiting.
      while (this.populated() && Date.now() < until) readFileSync('/proc/self/stat');
      rmdirSync(this.dir);
    } catch {
      // Nothing more can be done while exiting.
    }
    this.restoreControllers();
  }
}
