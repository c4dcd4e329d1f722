import { dictColumn, numberColumn } from '../bundle/columns.ts';
import type { Bundle } from '../bundle/reader.ts';
import { buildSeries, listSeries } from '../forecast/series.ts';
import type { SourceFamily } from './spec.ts';

/**
 * A run's counter series for fingerprinting, on the samples grid (core/forecast/series.ts), under ids that are the
 * same in every run: a perf counter's scope suffix names the recording's own cgroup (tlab-PID-N) and is dropped;
 * per-process series (their ids carry PIDs) are left out; machine-wide series only when asked.
 */
export interface RunSeries {
  /** Seconds from the first interval's end. */
  readonly tS: Float64Array;
  readonly series: Map<string, Float64Array>;
  readonly names: Map<string, string>;
}

export function canonicalId(id: string): string {
  return id.replace(/@tlab-\d+-\d+$/, '').replace(/@.*\/tlab-\d+-\d+$/, '');
}

export function runSeries(bundle: Bundle, families: readonly SourceFamily[], includeSystem: boolean): RunSeries {
  // An imported counter capture (PerfSpect, perf stat -x) has no samples table to give the grid: its own times do.
  if (!bundle.tables.samples && bundle.tables.counters && families.includes('counters')) return counterOnlySeries(bundle);
  const infos = listSeries(bundle).filter(
    (s) => (families as readonly string[]).includes(s.family) && !s.id.startsWith('process:') && (includeSystem || !(s.id.startsWith('system:') || s.id.startsWith('psi:system:'))),
  );
  const frame = buildSeries(bundle, infos.map((s) => s.id));
  const series = new Map<string, Float64Array>();
  const names = new Map<string, string>();
  for (const s of infos) {
    const id = canonicalId(s.id);
    series.set(id, Float64Array.from(frame.columns.get(s.id)!));
    names.set(id, `${s.name.replace(/ \(tlab-\d+-\d+\)$/, '')} (${s.unit})`);
  }
  const t0 = frame.tNs.length ? frame.tNs[0]! : 0;
  return { tS: Float64Array.from(frame.tNs, (t) => (t - t0) / 1e9), series, names };
}

/** Ids present in every run, sorted (the fingerprint's counters). */
export function commonIds(runs: readonly RunSeries[]): string[] {
  if (runs.length === 0) return [];
  return [...runs[0]!.series.keys()].filter((id) => runs.every((r) => r.series.has(id))).sort();
}

/**
 * Series of a bundle that holds only counters (an imported PerfSpect or perf stat CSV): one per event and scope,
 * on the distinct times of the table, a gap carrying the last value forward (0 before the first).
 */
export function counterOnlySeries(bundle: Bundle): RunSeries {
  const c = bundle.tables.counters!;
  const ts = numberColumn(c, 'ts_ns');
  const ev = dictColumn(c, 'event');
  const sc = dictColumn(c, 'scope');
  const val = numberColumn(c, 'value');
  const times = [...new Set(Array.from({ length: c.numRows }, (_, i) => ts[i]!))].sort((a, b) => a - b);
  const at = new Map(times.map((t, i) => [t, i]));
  const series = new Map<string, Float64Array>();
  const names = new Map<string, string>();
  for (let i = 0; i < c.numRows; i++) {
    const e = ev.values[ev.codes[i]!] ?? '?';
    const scope = sc.values[sc.codes[i]!] ?? '?';
    const id = canonicalId(`counter:${e}@${scope}`);
    let v = series.get(id);
    if (!v) {
      series.set(id, (v = new Float64Array(times.length).fill(Number.NaN)));
      names.set(id, `${e} (${scope})`);
    }
    if (Number.isFinite(val[i]!)) v[at.get(ts[i]!)!] = val[i]!;
  }
  for (const v of series.values()) for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) v[i] = i > 0 ? v[i - 1]! : 0;
  const t0 = times[0] ?? 0;
  return { tS: Float64Array.from(times, (t) => (t - t0) / 1e9), series, names };
}
