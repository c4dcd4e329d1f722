import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';

/**
 * The process group's CPU usage per recorder tick, the one definition the overview's CPU chart and the forecast
 * lab's `group:cpu` target share (they used to compute it apart and could disagree on the same bundle).
 *
 * Ticks are the distinct end times of the group scope's rows with an interval (a zero-length first tick has no
 * rate, so it is no tick). The samples table stores CPU *time* spent in the interval (cpu_user_s +
 * cpu_system_s, seconds), so usage is that time over the interval's length, in CPUs: 2 busy CPUs read 2.0. A
 * bundle without a group scope (an import of per-process data) gets its group as the sum of the process rows
 * of each tick. A missing reading stays NaN here; what to draw or fill in for it is the caller's choice.
 */
export interface GroupCpu {
  /** Where the group's figures come from: its own rows, or the sum of its processes' rows. */
  readonly from: 'group' | 'processes' | 'none';
  /** End of each tick, ns since the clock origin, ascending. */
  readonly endNs: Float64Array;
  /** Length of each tick, ns. */
  readonly lengthNs: Float64Array;
  /** user + system, user, and system (kernel) CPU time per second of the tick; NaN where not read. */
  readonly cpu: Float64Array;
  readonly user: Float64Array;
  readonly system: Float64Array;
  /** Tick of each samples row whose end time is a tick (also rows of other scopes), -1 otherwise. */
  readonly tickOfRow: Int32Array;
}

export function groupCpu(samples: Table): GroupCpu {
  const rows = samples.numRows;
  const ts = numberColumn(samples, 'ts_ns');
  const len = numberColumn(samples, 'interval_ns');
  const scope = dictColumn(samples, 'scope');
  const user = numberColumn(samples, 'cpu_user_s');
  const sys = numberColumn(samples, 'cpu_system_s');
  const groupCode = scope.values.indexOf('group');
  const processCode = scope.values.indexOf('process');
  const gridScope = groupCode >= 0 ? groupCode : processCode;
  const empty = new Float64Array(0);
  if (gridScope < 0) return { from: 'none', endNs: empty, lengthNs: empty, cpu: empty, user: empty, system: empty, tickOfRow: new Int32Array(rows).fill(-1) };

  // The first row at a time gives the tick's length (rows of one tick share it).
  const tickLength = new Map<number, number>();
  for (let i = 0; i < rows; i++) {
    if (scope.codes[i] !== gridScope || !(len[i]! > 0)) continue;
    if (!tickLength.has(ts[i]!)) tickLength.set(ts[i]!, len[i]!);
  }
  const endNs = Float64Array.from(tickLength.keys()).sort();
  const lengthNs = endNs.map((t) => tickLength.get(t)!);
  const tickIndex = new Map<number, number>();
  endNs.forEach((t, k) => tickIndex.set(t, k));
  const n = endNs.length;
  const cpu = new Float64Array(n).fill(Number.NaN);
  const cpuUser = new Float64Array(n).fill(Number.NaN);
  const cpuSys = new Float64Array(n).fill(Number.NaN);
  const tickOfRow = new Int32Array(rows).fill(-1);
  for (let i = 0; i < rows; i++) {
    const k = tickIndex.get(ts[i]!);
    if (k === undefined) continue;
    tickOfRow[i] = k;
    if (scope.codes[i] !== gridScope) continue;
    const secs = lengthNs[k]! / 1e9;
    const u = user[i]!;
    const s = sys[i]!;
    if (groupCode >= 0) {
      // NaN when either half is missing: a total from half a reading would look like a drop.
      cpu[k] = (u + s) / secs;
      cpuUser[k] = u / secs;
      cpuSys[k] = s / secs;
    } else {
      if (Number.isFinite(u + s)) sumInto(cpu, k, (u + s) / secs);
      if (Number.isFinite(u)) sumInto(cpuUser, k, u / secs);
      if (Number.isFinite(s)) sumInto(cpuSys, k, s / secs);
    }
  }
  return { from: groupCode >= 0 ? 'group' : 'processes', endNs, lengthNs, cpu, user: cpuUser, system: cpuSys, tickOfRow };
}

/** Adds x to arr[k], where NaN means nothing summed yet (a tick with no process row stays NaN, not 0). */
export function sumInto(arr: Float64Array, k: number, x: number): void {
  arr[k] = Number.isNaN(arr[k]!) ? x : arr[k]! + x;
}
