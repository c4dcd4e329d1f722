import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
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

interface Rows {
  t: number[];
  cpu: number[];
  rss: number[];
  read: number[];
  write: number[];
}

/** Usage of the group and of its busiest processes: CPU in cores, memory, storage I/O rates. */
export function usageSeries(samples: Table, startNs: number, window: TimeWindow | null = null, topN = 5): { cpu: Series[]; memory: Series[]; io: Series[] } {
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

  const cpu: Series[] = [];
  const memory: Series[] = [];
  const io: Series[] = [];
  for (const [key, g] of shown) {
    cpu.push(makeSeries(`cpu:${key}`, g.label, 'cores', g.t, g.cpu, window));
    if (key !== 'system') memory.push(makeSeries(`rss:${key}`, g.label, 'MiB', g.t, g.rss, window));
    if (key === 'group') {
      io.push(makeSeries('io:read', 'read', 'MiB/s', g.t, g.read, window));
      io.push(makeSeries('io:write', 'write', 'MiB/s', g.t, g.write, window));
    }
  }
  return { cpu, memory, io };
}
