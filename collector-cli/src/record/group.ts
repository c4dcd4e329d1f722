import type { Cgroup } from './cgroup.ts';
import { listPids, readProcStat } from './proc-files.ts';

export type GroupKind = 'cgroup' | 'process-group' | 'pid';

/** The set of processes the "group" scope covers, however it is delimited. */
export interface ProcessGroup {
  readonly kind: GroupKind;
  readonly path: string | null;
  readonly note?: string;
  readonly cgroup: Cgroup | null;
  /** Current members (thread-group ids). */
  pids(): number[];
}

export function cgroupGroup(cg: Cgroup, note?: string): ProcessGroup {
  return { kind: 'cgroup', path: cg.dir, cgroup: cg, pids: () => cg.pids(), ...(note ? { note } : {}) };
}

/**
 * Without a cgroup, members are found by scanning /proc: processes in the root's process group, plus its
 * descendants (which may have changed process group). Processes that detach from both are missed.
 */
export function scannedGroup(
  kind: 'process-group' | 'pid',
  root: () => number | null,
  exclude: () => ReadonlySet<number>,
  note?: string,
): ProcessGroup {
  return {
    kind,
    path: null,
    cgroup: null,
    ...(note ? { note } : {}),
    pids() {
      const rootPid = root();
      if (rootPid === null) return [];
      const rootStat = readProcStat(rootPid);
      const pgrp = kind === 'process-group' ? (rootStat?.pgrp ?? null) : null;
      const children = new Map<number, number[]>();
      const members = new Set<number>();
      for (const pid of listPids()) {
        const st = readProcStat(pid);
        if (!st) continue;
        const list = children.get(st.ppid);
        if (list) list.push(pid);
        else children.set(st.ppid, [pid]);
        if (pgrp !== null && st.pgrp === pgrp) members.add(pid);
      }
      const stack = rootStat ? [rootPid] : [];
      while (stack.length) {
        const p = stack.pop()!;
        members.add(p);
        for (const c of children.get(p) ?? []) stack.push(c);
      }
      const skip = exclude();
      return [...members].filter((p) => !skip.has(p) && p !== process.pid).sort((a, b) => a - b);
    },
  };
}
