import type { Manifest } from '../bundle/index.ts';

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
