import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { groupCpu } from '../series/group-cpu.ts';
import { lttb } from '../series/lttb.ts';
import { toSeconds } from './time-axis.ts';
import type { Series, TimeWindow } from './types.ts';

export const DISPLAY_POINTS = 1500;

/**
 * A display series: the points inside the window (plus one neighbour each side, so lines run to the edges),
 * downsampled with LTTB. Zooming in therefore shows the full detail of the zoomed span.
 */
export function makeSeries(id: string, name: string, unit: string, x: ArrayLike<number>, y: ArrayLike<number>, window: TimeWindow | null = null): Series {
  let lo = 0;
  let hi = x.length;
  if (window) {
    while (lo < x.length && x[lo]! < window.from) lo++;
    while (hi > lo && x[hi - 1]! > window.to) hi--;
    lo = Math.max(0, lo - 1);
    hi = Math.min(x.length, hi + 1);
  }
  const xs = Array.prototype.slice.call(x, lo, hi) as number[];
  const ys = Array.prototype.slice.call(y, lo, hi) as number[];
  const d = lttb(xs, ys, DISPLAY_POINTS);
  return { id, name, unit, x: d.x, y: d.y, sourcePoints: hi - lo };
}

/** A series at full resolution, kept where the tables live so a zoom only slices and downsamples it. */
export interface FullSeries {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface UsageColumns {
  readonly cpu: readonly FullSeries[];
  readonly memory: readonly FullSeries[];
  readonly io: readonly FullSeries[];
}

/** The display series of full-resolution series for a window (null: everything). */
export function displaySeries(full: readonly FullSeries[], window: TimeWindow | null): Series[] {
  return full.map((f) => makeSeries(f.id, f.name, f.unit, f.x, f.y, window));
}

interface Rows {
  t: number[];
  cpu: number[];
  rss: number[];
  read: number[];
  write: number[];
}

/** Usage of the group and of its busiest processes: CPU in cores, memory, storage I/O rates. */
export function usageSeries(samples: Table, startNs: number, window: TimeWindow | null = null, topN = 5): { cpu: Series[]; memory: Series[]; io: Series[] } {
  const u = usageColumns(samples, startNs, topN);
  return { cpu: displaySeries(u.cpu, window), memory: displaySeries(u.memory, window), io: displaySeries(u.io, window) };
}

/**
 * The usage series at full resolution. The group's CPU is groupCpu's (core/series/group-cpu.ts), the series the
 * forecast lab forecasts; a bundle without a group scope gets it summed from its processes, and says so.
 */
export function usageColumns(samples: Table, startNs: number, topN = 5): UsageColumns {
  const t = toSeconds(numberColumn(samples, 'ts_ns'), startNs);
  const interval = numberColumn(samples, 'interval_ns');
  const scope = dictColumn(samples, 'scope');
  const pid = numberColumn(samples, 'pid');
  const comm = dictColumn(samples, 'comm');
  const user = numberColumn(samples, 'cpu_user_s');
  const sys = numberColumn(samples, 'cpu_system_s');
  const rss = numberColumn(samples, 'rss_bytes');
  const read = numberColumn(samples, 'read_bytes');
  const write = numberColumn(samples, 'write_bytes');

  const groups = new Map<string, Rows & { label: string; cpuTotal: number }>();
  for (let i = 0; i < samples.numRows; i++) {
    const s = scope.values[scope.codes[i]!] ?? 'unknown';
    const key = s === 'process' ? `pid:${pid[i]}` : s;
    let g = groups.get(key);
    if (!g) {
      const label = s === 'process' ? `${comm.values[comm.codes[i]!] ?? '?'} (${pid[i]})` : s;
      g = { label, cpuTotal: 0, t: [], cpu: [], rss: [], read: [], write: [] };
      groups.set(key, g);
    }
    const secs = interval[i]! / 1e9;
    const c = (user[i] ?? 0) + (sys[i] ?? 0);
    g.t.push(t[i]!);
    g.cpu.push(secs > 0 ? c / secs : Number.NaN);
    g.cpuTotal += Number.isNaN(c) ? 0 : c;
    g.rss.push(rss[i]! / 2 ** 20);
    g.read.push(secs > 0 ? read[i]! / secs / 2 ** 20 : Number.NaN);
    g.write.push(secs > 0 ? write[i]! / secs / 2 ** 20 : Number.NaN);
  }
  const processes = [...groups.entries()].filter(([k]) => k.startsWith('pid:')).sort((a, b) => b[1].cpuTotal - a[1].cpuTotal);
  const shown = [...['group', 'system'].flatMap((k) => (groups.has(k) ? [[k, groups.get(k)!] as const] : [])), ...processes.slice(0, topN)];

  const cpu: FullSeries[] = [];
  const memory: FullSeries[] = [];
  const io: FullSeries[] = [];
  const group = groupCpu(samples);
  const groupX = group.endNs.map((ns) => (ns - startNs) / 1e9);
  if (group.from === 'processes') cpu.push({ id: 'cpu:group', name: 'group (sum of processes)', unit: 'cores', x: groupX, y: group.cpu });
  for (const [key, g] of shown) {
    cpu.push(key === 'group' ? { id: 'cpu:group', name: g.label, unit: 'cores', x: groupX, y: group.cpu } : { id: `cpu:${key}`, name: g.label, unit: 'cores', x: g.t, y: g.cpu });
    if (key !== 'system') memory.push({ id: `rss:${key}`, name: g.label, unit: 'MiB', x: g.t, y: g.rss });
    if (key === 'group') {
      io.push({ id: 'io:read', name: 'read', unit: 'MiB/s', x: g.t, y: g.read });
      io.push({ id: 'io:write', name: 'write', unit: 'MiB/s', x: g.t, y: g.write });
    }
  }
  return { cpu, memory, io };
}
