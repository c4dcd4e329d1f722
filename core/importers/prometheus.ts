import { z } from 'zod';
import { TableBuilder } from '../bundle/table-builder.ts';
import type { Parsed } from './capture-to-bundle.ts';

/**
 * A Prometheus range query (`/api/v1/query_range`) as counters rows: one row per series and step, event = the
 * query's name (or the metric name) with its labels, scope = the series' instance. Time 0 is the range start.
 */
const Sample = z.tuple([z.number(), z.string()]);
const RangeResponse = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({
      resultType: z.literal('matrix'),
      result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(Sample) })),
    }),
    warnings: z.array(z.string()).optional(),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

export interface PrometheusQuery {
  /** PromQL. */
  readonly expr: string;
  /** Event name for its series; default: the metric name, else the expression. */
  readonly name?: string;
}

export interface RangeSpec {
  readonly startS: number;
  readonly endS: number;
  readonly stepS: number;
}

export class PrometheusError extends Error {
  override name = 'PrometheusError';
}

function seriesName(metric: Record<string, string>, q: PrometheusQuery): string {
  const base = q.name ?? metric['__name__'] ?? q.expr;
  const labels = Object.entries(metric)
    .filter(([k]) => k !== '__name__' && k !== 'instance' && k !== 'job')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`);
  return labels.length ? `${base}{${labels.join(',')}}` : base;
}

/** Adds one query's response to the table; throws PrometheusError with Prometheus's own words on failure. */
export function addRangeResponse(builder: TableBuilder, json: unknown, q: PrometheusQuery, range: RangeSpec): { series: number; samples: number; warnings: string[] } {
  const parsed = RangeResponse.safeParse(json);
  if (!parsed.success) {
    throw new PrometheusError(`the answer to "${q.expr}" is not a Prometheus range-query response (${parsed.error.issues[0]?.message ?? 'unknown shape'})`);
  }
  const r = parsed.data;
  if (r.status === 'error') throw new PrometheusError(`Prometheus refused "${q.expr}": ${r.errorType}: ${r.error}`);
  let samples = 0;
  for (const series of r.data.result) {
    const event = seriesName(series.metric, q);
    const scope = series.metric['instance'] ?? 'prometheus';
    for (const [t, v] of series.values) {
      const value = Number(v);
      builder.push({
        ts_ns: Math.round((t - range.startS) * 1e9),
        interval_ns: Math.round(range.stepS * 1e9),
        event,
        value: Number.isFinite(value) ? value : null,
        unit: null,
        scope,
        running_fraction: null,
      });
      samples++;
    }
  }
  return { series: r.data.result.length, samples, warnings: r.warnings ?? [] };
}

/** The queries' rows as a parsed capture, ready for bundleFromParsed. */
export function prometheusParsed(builder: TableBuilder, server: string, queries: readonly PrometheusQuery[], range: RangeSpec, notes: string[]): Parsed {
  return {
    table: builder.finish(),
    tableName: 'counters',
    source: 'prometheus',
    lines: 0,
    problems: [],
    problemCount: 0,
    notes,
    clock: { domain: 'realtime', unit: 'ns', originUnixNs: (BigInt(Math.round(range.startS * 1000)) * 1_000_000n).toString() },
    settings: { importedFrom: server, format: 'Prometheus query_range', queries: queries.map((q) => q.expr), startS: range.startS, endS: range.endS, stepS: range.stepS },
  };
}
