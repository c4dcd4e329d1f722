import { TableBuilder } from '../../../core/bundle/index.ts';
import { bundleFromParsed, type CaptureReport } from '../../../core/importers/capture-to-bundle.ts';
import { addRangeResponse, prometheusParsed, PrometheusError, type PrometheusQuery, type RangeSpec } from '../../../core/importers/prometheus.ts';
import type { Bundle } from '../../../core/bundle/index.ts';

/** "now", "-5m" / "-30s" / "-2h" (relative to now), Unix seconds, or an ISO date. */
export function parseTime(text: string, nowS: number): number {
  if (text === 'now') return nowS;
  const rel = /^-(\d+(?:\.\d+)?)(s|m|h)$/.exec(text);
  if (rel) return nowS - Number(rel[1]) * { s: 1, m: 60, h: 3600 }[rel[2] as 's' | 'm' | 'h'];
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new PrometheusError(`"${text}" is not a time (use now, -5m, Unix seconds or an ISO date)`);
  return ms / 1000;
}

/** Runs each query over the range against a Prometheus server and turns the answers into one bundle. */
export async function importPrometheus(
  server: string,
  queries: readonly PrometheusQuery[],
  range: RangeSpec,
  producer: { name: string; version: string },
): Promise<{ bundle: Bundle; report: CaptureReport }> {
  const builder = new TableBuilder('counters');
  const notes: string[] = [];
  for (const q of queries) {
    const url = new URL('api/v1/query_range', server.endsWith('/') ? server : `${server}/`);
    url.search = new URLSearchParams({ query: q.expr, start: String(range.startS), end: String(range.endS), step: String(range.stepS) }).toString();
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw new PrometheusError(`cannot reach Prometheus at ${server}: ${(e as Error).message}`);
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new PrometheusError(`${url.origin}${url.pathname} answered HTTP ${res.status} without JSON: is ${server} a Prometheus server?`);
    }
    const got = addRangeResponse(builder, json, q, range);
    if (got.series === 0) notes.push(`"${q.expr}" matched no series in the range.`);
    notes.push(...got.warnings.map((w) => `Prometheus warned about "${q.expr}": ${w}`));
  }
  const label = `Prometheus ${server}: ${queries.map((q) => q.name ?? q.expr).join(', ')}`;
  return bundleFromParsed(label, 'prometheus', prometheusParsed(builder, server, queries, range, notes), producer);
}
