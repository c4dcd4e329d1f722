import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, join } from 'node:path';
import type { Cgroup } from '../record/cgroup.ts';
import type { Cleanup } from '../record/cleanup.ts';
import { cgroupWrapper } from '../record/workload.ts';

/** A program the bench needs is not installed: the message names the Debian package. */
export class MissingProgramError extends Error {}

/**
 * The program's path: PATH first, then /usr/sbin and /sbin (nginx lives there, and a non-root PATH often lacks them).
 * Throws MissingProgramError naming the Debian package to install.
 */
export function findProgram(name: string, debianPackage: string, path = process.env.PATH ?? ''): string {
  const dirs = [...path.split(delimiter).filter(Boolean)];
  for (const extra of ['/usr/sbin', '/sbin']) if (!dirs.includes(extra)) dirs.push(extra);
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // Not here.
    }
  }
  throw new MissingProgramError(`${name} not found: install the Debian package ${debianPackage} (apt-get install ${debianPackage})`);
}

/** A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Whether `p` settles within `ms`; the timer is cleared either way, so it never holds the process open. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A process the bench started and must stop: a service or stress-ng. It runs in its own process group (so a
 * Ctrl-C on the terminal reaches tlab only, which stops things in order) and, where there is one, inside its
 * cgroup from its first instruction (the wrapper joins the cgroup and then becomes the program, same PID).
 * Its output goes to a log file in the bench's private directory. Stopping is by PID and process group: a signal,
 * a grace period, then SIGKILL; an exit handler does the SIGKILL if tlab ends some other way.
 */
export class ManagedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly undo: { drop(): void };

  constructor(
    readonly label: string,
    readonly argv: string[],
    opts: { cgroup: Cgroup | null; logFile: string; cleanup: Cleanup; cwd?: string },
  ) {
    const full = opts.cgroup ? cgroupWrapper(opts.cgroup.procsFile, argv) : argv;
    const log = openSync(opts.logFile, 'a', 0o600);
    try {
      this.child = spawn(full[0]!, full.slice(1), { stdio: ['ignore', log, log], detached: true, cwd: opts.cwd });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('error', (e) => {
        this.exitInfo = { code: 127, signal: null };
        resolve(this.exitInfo);
        void e;
      });
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
    if (this.child.pid === undefined) throw new Error(`cannot start ${argv[0]}`);
    this.pid = this.child.pid;
    const pid = this.pid;
    this.undo = opts.cleanup.add(label, () => killGroup(pid, 'SIGKILL'));
    void this.exited.then(() => {
      // The group may outlive its leader (nginx workers, stress-ng workers): the exit handler still kills it.
      if (!groupAlive(pid)) this.undo.drop();
    });
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  get exitText(): string {
    const e = this.exitInfo;
    if (!e) return 'running';
    return e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`;
  }

  /** Sends `sig` to the process (and its group); after `graceMs`, SIGKILL to both. Resolves once the leader and its group are gone. */
  async stop(sig: NodeJS.Signals = 'SIGTERM', graceMs = 3000): Promise<void> {
    if (this.alive) signalPid(this.pid, sig);
    const gone = await within(this.exited, graceMs);
    if (!gone) killGroup(this.pid, 'SIGKILL');
    await this.exited;
    // Workers of the group that outlived the leader.
    const deadline = Date.now() + graceMs;
    while (groupAlive(this.pid) && Date.now() < deadline) {
      killGroup(this.pid, Date.now() + graceMs / 2 < deadline ? sig : 'SIGKILL');
      await sleep(20);
    }
    if (groupAlive(this.pid)) killGroup(this.pid, 'SIGKILL');
    this.undo.drop();
  }

  /** At once, without waiting (a second Ctrl-C). */
  kill(): void {
    killGroup(this.pid, 'SIGKILL');
  }

  /** The last lines of its log, to explain a failed start. */
  static logTail(logFile: string, lines = 8): string {
    try {
      return readFileSync(logFile, 'utf8').trim().split('\n').slice(-lines).join(' | ');
    } catch {
      return '';
    }
  }
}

function signalPid(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone.
  }
}

/** Signals the process group the PID leads (detached children lead their own), and the PID itself. */
export function killGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    // No such group any more.
  }
  signalPid(pid, sig);
}

/** Whether any process is left in the group the PID led (signal 0 checks without signalling). */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
