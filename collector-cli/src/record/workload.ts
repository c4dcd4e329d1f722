import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Cgroup } from './cgroup.ts';
import { readProcStat } from './proc-files.ts';
import type { StraceSource } from './strace-source.ts';
import type { TimeOrigin } from '../../../core/importers/index.ts';

export interface WorkloadExit {
  code: number | null;
  signal: string | null;
}

/**
 * The wrapper moves itself into the cgroup and then becomes the command, so the command and everything it
 * spawns start inside the cgroup and nothing runs outside it even for an instant. With `hold` it stops
 * itself first (SIGSTOP) and becomes the command only when continued, so a counter can attach to it before
 * the command has forked anything.
 */
export function cgroupWrapper(procsFile: string, argv: string[], hold = false): string[] {
  return ['sh', '-c', `echo $$ > "$0" || { echo "tlab: cannot join the cgroup" >&2; exit 125; }; ${hold ? 'kill -STOP $$; ' : ''}exec "$@"`, procsFile, ...argv];
}

/** The same hold without a cgroup. */
export function holdWrapper(argv: string[]): string[] {
  return ['sh', '-c', 'kill -STOP $$; exec "$@"', 'sh', ...argv];
}

/** A command started for recording, directly or under strace. */
export class CommandWorkload {
  readonly child: ChildProcess;
  readonly done: Promise<WorkloadExit>;

  constructor(argv: string[], cgroup: Cgroup | null, strace: StraceSource | null, wallOrigin: TimeOrigin, hold = false) {
    const full = cgroup ? cgroupWrapper(cgroup.procsFile, argv, hold) : hold ? holdWrapper(argv) : argv;
    // With a cgroup the workload stays in our process group, so it can use the terminal (and gets its
    // Ctrl-C); without one it gets its own process group, which is how its processes are then found.
    const detached = !cgroup;
    this.child = strace
      ? strace.start({ kind: 'command', argv: full, stdio: 'inherit', detached }, wallOrigin)
      : spawn(full[0]!, full.slice(1), { stdio: 'inherit', detached });
    this.done = new Promise((resolve) => {
      this.child.once('error', (e) => {
        process.stderr.write(`tlab: cannot start ${full[0]}: ${e.message}\n`);
        resolve({ code: 127, signal: null });
      });
      // strace passes on the command's exit code, and dies of the signal that killed the command.
      this.child.once('exit', (code, signal) => resolve({ code: signal ? null : code, signal }));
    });
  }

  get rootPid(): number | null {
    return this.child.pid ?? null;
  }
}

/** Signals every member of the group (and the process group when there is no cgroup). */
export function signalGroup(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      // Gone meanwhile.
    }
  }
}

/** Shell convention: a command killed by signal N makes its parent exit with 128 + N. */
export function exitStatusFor(exit: WorkloadExit | null): number {
  if (!exit) return 0;
  if (exit.signal) return 128 + ((constants.signals as Record<string, number>)[exit.signal] ?? 0);
  return exit.code ?? 0;
}

/** The first process among `pids()` that has stopped itself (T, or t under a tracer), or null after the timeout. */
export async function stoppedMember(pids: () => number[], timeoutMs: number): Promise<number | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const pid of pids()) {
      const state = readProcStat(pid)?.state;
      if (state === 'T' || state === 't') return pid;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
