import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { toSeconds } from './time-axis.ts';
import { makeSeries } from './usage.ts';
import type { CounterTotal, Series, TimeWindow } from './types.ts';

/** Stall percentage per scope, resource and kind (some/full). */
export function psiSeries(psi: Table, startNs: number, window: TimeWindow | null = null): Series[] {
  const t = toSeconds(numberColumn(psi, 'ts_ns'), startNs);
  const scope = dictColumn(psi, 'scope');
  const resource = dictColumn(psi, 'resource');
  const some = numberColumn(psi, 'some_fraction');
  const full = numberColumn(psi, 'full_fraction');
  const groups = new Map<string, { t: number[]; some: number[]; full: number[] }>();
  for (let i = 0; i < psi.numRows; i++) {
    const key = `${scope.values[scope.codes[i]!]} ${resource.values[resource.codes[i]!]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { t: [], some: [], full: [] }));
    g.t.push(t[i]!);
    g.some.push(some[i]! * 100);
    g.full.push(full[i]! * 100);
  }
  const out: Series[] = [];
  for (const [key, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(makeSeries(`psi:${key}:some`, `${key} some`, '%', g.t, g.some, window));
    if (g.full.some((v) => !Number.isNaN(v))) out.push(makeSeries(`psi:${key}:full`, `${key} full`, '%', g.t, g.full, window));
  }
  return out;
}

/** Counter rates per event and scope (interval rows only; totals have no time axis). */
export function counterSeries(counters: Table, startNs: number, window: TimeWindow | null = null): Series[] {
  const t = toSeconds(numberColumn(counters, 'ts_ns'), startNs);
  const interval = numberColumn(counters, 'interval_ns');
  const event = dictColumn(counters, 'event');
  const unit = dictColumn(counters, 'unit');
  const scope = dictColumn(counters, 'scope');
  const value = numberColumn(counters, 'value');
  const groups = new Map<string, { name: string; unit: string; t: number[]; y: number[] }>();
  for (let i = 0; i < counters.numRows; i++) {
    const secs = interval[i]! / 1e9;
    if (!(secs > 0)) continue;
    const ev = event.values[event.codes[i]!] ?? '?';
    const sc = scope.values[scope.codes[i]!] ?? '';
    const key = `${ev}@${sc}`;
    let g = groups.get(key);
    if (!g) {
      const u = unit.values[unit.codes[i]!];
      groups.set(key, (g = { name: sc && sc !== 'group' ? `${ev} (${sc})` : ev, unit: u ? `${u}/s` : '/s', t: [], y: [] }));
    }
    g.t.push(t[i]!);
    g.y.push(value[i]! / secs);
  }
  // An event that was never counted ("<not counted>" throughout) has nothing to draw.
  return [...groups].filter(([, g]) => g.y.some((v) => Number.isFinite(v))).map(([key, g]) => makeSeries(`counter:${key}`, g.name, g.unit, g.t, g.y, window));
}

/**
 * The counter rows that have no interval: totals (perf stat without -I) and whole-run statistics (a PerfSpect
 * summary). They have no time axis, so the overview lists them instead of charting them; NaN (<not counted>)
 * rows are left out.
 */
export function counterTotals(counters: Table, limit = 2000): CounterTotal[] {
  const interval = numberColumn(counters, 'interval_ns');
  const event = dictColumn(counters, 'event');
  const unit = dictColumn(counters, 'unit');
  const scope = dictColumn(counters, 'scope');
  const value = numberColumn(counters, 'value');
  const out: CounterTotal[] = [];
  for (let i = 0; i < counters.numRows && out.length < limit; i++) {
    if (interval[i]! > 0 || !Number.isFinite(value[i]!)) continue;
    out.push({ event: event.values[event.codes[i]!] ?? '?', unit: unit.values[unit.codes[i]!] ?? '', scope: scope.values[scope.codes[i]!] ?? '', value: value[i]! });
  }
  return out;
}
