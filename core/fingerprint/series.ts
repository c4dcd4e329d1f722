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
