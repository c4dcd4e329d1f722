import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { toSeconds } from '../overview/time-axis.ts';
import type { DetailTrack } from './view.ts';

export interface SyscallTracks {
  readonly tids: readonly { tid: number; pid: number }[];
  readonly tracks: readonly DetailTrack[];
  readonly names: readonly string[];
  readonly errnos: readonly string[];
  readonly minS: number;
  readonly maxS: number;
  readonly calls: number;
}

/**
 * A track per thread, a slice per system call from its entry to entry + duration (strace -T). Calls without a
 * duration (not recorded, or the call never returned) are not drawn. A thread is in one call at a time, but
 * strace's microsecond rounding can make a call end just after the next one starts: the drawn end is then cut
 * at the next start (ends must not pass the next start for the span search), while `value` keeps the true
 * duration for the tooltip.
 */
export function syscallTracks(syscalls: Table, startNs: number): SyscallTracks {
  const t = toSeconds(numberColumn(syscalls, 'ts_ns'), startNs);
  const dur = numberColumn(syscalls, 'duration_ns');
  const tid = numberColumn(syscalls, 'tid');
  const pid = numberColumn(syscalls, 'pid');
  const kind = dictColumn(syscalls, 'kind');
  const name = dictColumn(syscalls, 'name');
  const errno = dictColumn(syscalls, 'errno');
  const callCode = kind.values.indexOf('syscall');

  const rowsOf = new Map<number, number[]>();
  let minS = Number.POSITIVE_INFINITY;
  let maxS = Number.NEGATIVE_INFINITY;
  let calls = 0;
  for (let i = 0; i < syscalls.numRows; i++) {
    if (kind.codes[i] !== callCode || Number.isNaN(dur[i]!)) continue;
    let rows = rowsOf.get(tid[i]!);
    if (!rows) rowsOf.set(tid[i]!, (rows = []));
    rows.push(i);
    calls++;
    minS = Math.min(minS, t[i]!);
    maxS = Math.max(maxS, t[i]! + dur[i]! / 1e9);
  }
  const tids: { tid: number; pid: number }[] = [];
  const tracks: DetailTrack[] = [];
  // Threads in order of their first call, so the tracks read top-down as the program started them.
  const ordered = [...rowsOf.entries()].map(([k, rows]) => {
    rows.sort((a, b) => t[a]! - t[b]! || a - b);
    return { k, rows };
  });
  ordered.sort((a, b) => t[a.rows[0]!]! - t[b.rows[0]!]! || a.k - b.k);
  for (const { k, rows } of ordered) {
    const n = rows.length;
    const start = new Float64Array(n);
    const end = new Float64Array(n);
    const key = new Int32Array(n);
    const value = new Float64Array(n);
    const code = new Int32Array(n);
    rows.forEach((i, j) => {
      start[j] = t[i]!;
      value[j] = dur[i]! / 1e9;
      end[j] = t[i]! + value[j]!;
      key[j] = name.codes[i]!;
      code[j] = errno.codes[i]!;
    });
    for (let j = 0; j + 1 < n; j++) if (end[j]! > start[j + 1]!) end[j] = start[j + 1]!;
    tids.push({ tid: k, pid: pid[rows[0]!]! });
    tracks.push({ start, end, key, value, code });
  }
  return {
    tids,
    tracks,
    names: name.values,
    errnos: errno.values,
    minS: Number.isFinite(minS) ? minS : 0,
    maxS: Number.isFinite(maxS) ? maxS : 0,
    calls,
  };
}
