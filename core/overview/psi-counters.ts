import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { isGaugeUnit } from '../series/counter-kind.ts';
import { toSeconds } from './time-axis.ts';
import { displaySeries, type FullSeries } from './usage.ts';
import type { CounterTotal, Series, TimeWindow } from './types.ts';

/** Stall percentage per scope, resource and kind (some/full). */
export function psiSeries(psi: Table, startNs: number, window: TimeWindow | null = null): Series[] {
  return displaySeries(psiColumns(psi, startNs), window);
}

export function psiColumns(psi: Table, startNs: number): FullSeries[] {
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
  const out: FullSeries[] = [];
  for (const [key, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    out.push({ id: `psi:${key}:some`, name: `${key} some`, unit: '%', x: g.t, y: g.some });
    if (g.full.some((v) => !Number.isNaN(v))) out.push({ id: `psi:${key}:full`, name: `${key} full`, unit: '%', x: g.t, y: g.full });
  }
  return out;
}

/**
 * Counters per event and scope (interval rows only; totals have no time axis). A count over an interval (perf
 * stat) is charted as a rate per second; a reading (`readings`: a time-series CSV, a PerfSpect metric series,
 * a Prometheus query, where each value is the level at its time, or any row whose unit is a gauge's, such as
 * %) is charted as its value in its unit.
 */
export function counterSeries(counters: Table, startNs: number, window: TimeWindow | null = null, readings = false): Series[] {
  return displaySeries(counterColumns(counters, startNs, readings), window);
}

export function counterColumns(counters: Table, startNs: number, readings = false): FullSeries[] {
  const t = toSeconds(numberColumn(counters, 'ts_ns'), startNs);
  const interval = numberColumn(counters, 'interval_ns');
  const event = dictColumn(counters, 'event');
  const unit = dictColumn(counters, 'unit');
  const scope = dictColumn(counters, 'scope');
  const value = numberColumn(counters, 'value');
  const groups = new Map<string, { name: string; gauge: boolean; unit: string; t: number[]; y: number[] }>();
  for (let i = 0; i < counters.numRows; i++) {
    const secs = interval[i]! / 1e9;
    if (!(secs > 0) && !readings) continue;
    const ev = event.values[event.codes[i]!] ?? '?';
    const sc = scope.values[scope.codes[i]!] ?? '';
    const key = `${ev}@${sc}`;
    let g = groups.get(key);
    if (!g) {
      const u = unit.values[unit.codes[i]!];
      const gauge = readings || isGaugeUnit(u);
      groups.set(key, (g = { name: sc && sc !== 'group' ? `${ev} (${sc})` : ev, gauge, unit: gauge ? (u ?? '') : u ? `${u}/s` : '/s', t: [], y: [] }));
    }
    g.t.push(t[i]!);
    g.y.push(g.gauge ? value[i]! : value[i]! / secs);
  }
  // An event that was never counted ("<not counted>" throughout) has nothing to draw.
  return [...groups].filter(([, g]) => g.y.some((v) => Number.isFinite(v))).map(([key, g]) => ({ id: `counter:${key}`, name: g.name, unit: g.unit, x: g.t, y: g.y }));
}

/**
 * The counter rows that have no interval: totals (perf stat without -I) and whole-run statistics (a PerfSpect
 * summary). They have no time axis, so the overview lists them instead of charting them; NaN (<not counted>)
 * rows are left out.
 */
export function counterTotals(counters: Table, limit = 2000, readings = false): CounterTotal[] {
  // Readings have no totals: a first row without an interval is still a reading at its time.
  if (readings) return [];
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
