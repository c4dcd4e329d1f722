import type { Manifest } from '../bundle/manifest.ts';

/**
 * Formats whose counter values are levels at a time (a CSV column, a PerfSpect metric, a Prometheus sample), not
 * counts over the interval as perf stat writes them. Named by the importers' `settings.format`.
 */
const READING_FORMATS = new Set(['time-series CSV', 'PerfSpect 3.x metrics CSV', 'PerfSpect 1.x time-series CSV', 'Prometheus query_range']);

/** True when the counters table holds readings: every source that wrote it says it imported such a format. */
export function countersAreReadings(manifest: Manifest): boolean {
  const writers = Object.values(manifest.sources).filter((s) => s?.tables.includes('counters'));
  return writers.length > 0 && writers.every((s) => READING_FORMATS.has(String((s?.settings as { format?: unknown } | undefined)?.format ?? '')));
}

/**
 * Units of readings rather than counts: a percentage, a share, a frequency or a temperature is charted as it is,
 * never divided by its interval (a CPU at 75 %user over 1 s is 75 %, not "75 per second").
 */
const GAUGE_UNIT = /^(?:%|percent|pct|fraction|ratio|share|[kmg]?hz|°?c|celsius|watts?|w|cores|cpus)$/i;

export function isGaugeUnit(unit: string | null | undefined): boolean {
  return !!unit && GAUGE_UNIT.test(unit.trim());
}
