import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import type { Bundle } from '../bundle/reader.ts';
import { overlapMeans, type IntervalSeries } from './overlap.ts';
import { LATENCY_TARGETS, type LatencyTarget } from './spec.ts';

/**
 * The verified lab's data: one row per latency interval of a `tlab bench` bundle (a service under one
 * configuration), with every metric the recorder had over the same interval (overlap-weighted, see overlap.ts)
 * and the configuration's own settings as inputs (vPALs Figure 4: system metrics + workload configuration).
 */
export type MetricFamily = 'psi' | 'usage' | 'counters' | 'config';

export interface MetricInfo {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly family: MetricFamily;
}

export interface BenchConfiguration {
  readonly id: string;
  readonly service: string;
  readonly requestMix: string;
  readonly kind: string;
  readonly level: number;
}

export interface VerifiedDataset {
  readonly metrics: readonly MetricInfo[];
  /** Per metric id, one value per row (NaN where it was not read over the row's interval). */
  readonly values: ReadonlyMap<string, Float64Array>;
  /** Per latency statistic, one value per row, µs. */
  readonly latency: Readonly<Record<LatencyTarget, Float64Array>>;
  readonly requests: Float64Array;
  readonly throughput: Float64Array;
  readonly service: readonly string[];
  readonly config: readonly string[];
  /** Which bundle (index into the input list) each row comes from. */
  readonly bundle: Int32Array;
  /** Seconds since the bundle's clock origin (end of the interval). */
  readonly tS: Float64Array;
  readonly configurations: readonly BenchConfiguration[];
  readonly services: readonly string[];
  /** Rows left out: intervals with no completed request (no latency to learn), warm-up intervals of each configuration. */
  readonly dropped: { readonly noRequests: number; readonly warmup: number };
}

export class DatasetError extends Error {}

interface RawBundleRows {
  endNs: Float64Array;
  lengthNs: Float64Array;
  service: string[];
  config: string[];
  requests: Float64Array;
  throughput: Float64Array;
  latency: Record<LatencyTarget, Float64Array>;
}

/**
 * Rows of every bundle's latency table (the bench's labels) with aligned metrics. `warmupIntervals` drops the first
 * rows of each configuration run (its interference is still starting). Throws DatasetError, in words, on a bundle
 * without a latency table.
 */
export function buildVerifiedDataset(bundles: readonly { readonly label: string; readonly bundle: Bundle }[], warmupIntervals = 1): VerifiedDataset {
  const metrics = new Map<string, MetricInfo>();
  const columns = new Map<string, number[]>();
  const out = {
    latency: Object.fromEntries(LATENCY_TARGETS.map((t) => [t, [] as number[]])) as Record<LatencyTarget, number[]>,
    requests: [] as number[],
    throughput: [] as number[],
    service: [] as string[],
    config: [] as string[],
    bundle: [] as number[],
    tS: [] as number[],
  };
  const configurations = new Map<string, BenchConfiguration>();
  let noRequests = 0;
  let warmup = 0;
  let rowsSoFar = 0;
  bundles.forEach(({ label, bundle }, b) => {
    const table = bundle.tables.latency;
    if (!table || table.numRows === 0) {
      throw new DatasetError(`${label} has no latency table: the verified lab learns from bundles written by \`tlab bench\`, which measures every request`);
    }
    const raw = latencyRows(table);
    for (const c of benchConfigurations(bundle)) configurations.set(c.id, c);
    const keep: number[] = [];
    const seen = new Map<string, number>();
    for (let r = 0; r < raw.endNs.length; r++) {
      const key = `${raw.service[r]}\u0000${raw.config[r]}`;
      const k = seen.get(key) ?? 0;
      seen.set(key, k + 1);
      if (k < warmupIntervals) {
        warmup++;
        continue;
      }
      if (!(raw.requests[r]! > 0) || !Number.isFinite(raw.latency.p50_us[r]!)) {
        noRequests++;
        continue;
      }
      keep.push(r);
    }
    const endNs = Float64Array.from(keep, (r) => raw.endNs[r]!);
    const lengthNs = Float64Array.from(keep, (r) => raw.lengthNs[r]!);
    const bundleMetrics = metricSeries(bundle);
    for (const m of bundleMetrics) {
      if (!metrics.has(m.info.id)) {
        metrics.set(m.info.id, m.info);
        columns.set(m.info.id, new Array<number>(rowsSoFar).fill(Number.NaN));
      }
      const v = overlapMeans(m.series, endNs, lengthNs);
      columns.get(m.info.id)!.push(...v);
    }
    for (const [id, col] of columns) if (!bundleMetrics.some((m) => m.info.id === id)) col.push(...new Array<number>(keep.length).fill(Number.NaN));
    for (const r of keep) {
      for (const t of LATENCY_TARGETS) out.latency[t].push(raw.latency[t][r]!);
      out.requests.push(raw.requests[r]!);
      out.throughput.push(raw.throughput[r]!);
      out.service.push(raw.service[r]!);
      out.config.push(raw.config[r]!);
      out.bundle.push(b);
      out.tS.push(raw.endNs[r]! / 1e9);
    }
    rowsSoFar += keep.length;
  });
  addConfigInputs(out.config, configurations, metrics, columns);
  const values = new Map([...columns].map(([id, v]) => [id, Float64Array.from(v)]));
  return {
    metrics: [...metrics.values()],
    values,
    latency: Object.fromEntries(LATENCY_TARGETS.map((t) => [t, Float64Array.from(out.latency[t])])) as Record<LatencyTarget, Float64Array>,
    requests: Float64Array.from(out.requests),
    throughput: Float64Array.from(out.throughput),
    service: out.service,
    config: out.config,
    bundle: Int32Array.from(out.bundle),
    tS: Float64Array.from(out.tS),
    configurations: [...configurations.values()],
    services: [...new Set(out.service)].sort(),
    dropped: { noRequests, warmup },
  };
}

function latencyRows(table: Table): RawBundleRows {
  const endNs = numberColumn(table, 'ts_ns');
  const order = Array.from(endNs.keys()).sort((a, b) => endNs[a]! - endNs[b]!);
  const pick = (v: Float64Array) => Float64Array.from(order, (i) => v[i]!);
  const strings = (name: string) => {
    const { codes, values } = dictColumn(table, name);
    return order.map((i) => values[codes[i]!] ?? '');
  };
  return {
    endNs: pick(endNs),
    lengthNs: pick(numberColumn(table, 'interval_ns')),
    service: strings('service'),
    config: strings('config'),
    requests: pick(numberColumn(table, 'requests')),
    throughput: pick(numberColumn(table, 'throughput_rps')),
    latency: Object.fromEntries(LATENCY_TARGETS.map((t) => [t, pick(numberColumn(table, t))])) as Record<LatencyTarget, Float64Array>,
  };
}

/** The configurations the bench's manifest section lists (format 1.1; a bundle without the section gives none). */
function benchConfigurations(bundle: Bundle): BenchConfiguration[] {
  return (bundle.manifest.bench?.configurations ?? []).map((c) => ({ id: c.id, service: c.service, requestMix: c.requestMix, kind: c.interference.kind, level: c.interference.level }));
}

/**
 * The configuration as inputs: the interference level as a number, and the interference kind and request mix
 * one-hot (a column per value seen, so the inputs are the same whichever rows end up in training).
 */
function addConfigInputs(config: readonly string[], configurations: ReadonlyMap<string, BenchConfiguration>, metrics: Map<string, MetricInfo>, columns: Map<string, number[]>): void {
  if (configurations.size === 0) return;
  const of = (id: string) => configurations.get(id);
  const put = (info: MetricInfo, value: (c: BenchConfiguration) => number) => {
    metrics.set(info.id, info);
    columns.set(
      info.id,
      config.map((id) => {
        const c = of(id);
        return c ? value(c) : Number.NaN;
      }),
    );
  };
  put({ id: 'config:level', name: 'interference level', unit: 'level', family: 'config' }, (c) => c.level);
  const kinds = [...new Set([...configurations.values()].map((c) => c.kind))].sort();
  for (const k of kinds) put({ id: `config:kind:${k}`, name: `interference kind ${k}`, unit: '0/1', family: 'config' }, (c) => (c.kind === k ? 1 : 0));
  const mixes = [...new Set([...configurations.values()].map((c) => c.requestMix))].sort();
  if (mixes.length > 1) for (const m of mixes) put({ id: `config:mix:${m}`, name: `request mix ${m}`, unit: '0/1', family: 'config' }, (c) => (c.requestMix === m ? 1 : 0));
}

interface Metric {
  readonly info: MetricInfo;
  readonly series: IntervalSeries;
}

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** Every per-interval metric the bundle's psi, samples and counters tables give (group and system scopes). */
function metricSeries(bundle: Bundle): Metric[] {
  const out: Metric[] = [];
  const { psi, samples, counters } = bundle.tables;
  if (psi && psi.numRows > 0) {
    const scope = dictColumn(psi, 'scope');
    const resource = dictColumn(psi, 'resource');
    const end = numberColumn(psi, 'ts_ns');
    const len = numberColumn(psi, 'interval_ns');
    const some = numberColumn(psi, 'some_fraction');
    const full = numberColumn(psi, 'full_fraction');
    for (const [key, rows] of groupRows(psi.numRows, (r) => `${scope.values[scope.codes[r]!] ?? '?'}:${resource.values[resource.codes[r]!] ?? '?'}`)) {
      const [sc, res] = key.split(':') as [string, string];
      const where = sc === 'cgroup' ? 'the service\'s cgroup' : sc;
      for (const [kind, col] of [['some', some], ['full', full]] as const) {
        const series = pickSeries(rows, end, len, col);
        if (!Array.from(series.values).some(Number.isFinite)) continue;
        out.push({ info: { id: `psi:${key}:${kind}`, name: `${res} pressure (${kind}), ${where}`, unit: 'fraction', family: 'psi' }, series });
      }
    }
  }
  if (samples && samples.numRows > 0) {
    const scope = dictColumn(samples, 'scope');
    const end = numberColumn(samples, 'ts_ns');
    const len = numberColumn(samples, 'interval_ns');
    const perSecond = (col: Float64Array) => col.map((v, r) => v / (len[r]! / 1e9));
    const user = numberColumn(samples, 'cpu_user_s');
    const sys = numberColumn(samples, 'cpu_system_s');
    const read = numberColumn(samples, 'read_bytes');
    const write = numberColumn(samples, 'write_bytes');
    const vol = numberColumn(samples, 'voluntary_ctxsw');
    const invol = numberColumn(samples, 'involuntary_ctxsw');
    const major = numberColumn(samples, 'major_faults');
    const rss = numberColumn(samples, 'rss_bytes');
    const derived: readonly { id: string; name: string; unit: string; v: Float64Array }[] = [
      { id: 'cpu', name: 'CPU busy', unit: 'CPUs', v: perSecond(user.map((u, r) => u + sys[r]!)) },
      { id: 'disk', name: 'storage read + write', unit: 'MiB/s', v: perSecond(read.map((x, r) => (x + write[r]!) / MIB)) },
      { id: 'ctxsw', name: 'context switches', unit: '/s', v: perSecond(vol.map((x, r) => x + invol[r]!)) },
      { id: 'major_faults', name: 'major faults', unit: '/s', v: perSecond(major) },
      { id: 'memory', name: 'memory in use', unit: 'GiB', v: rss.map((x) => x / GIB) },
    ];
    for (const [sc, rows] of groupRows(samples.numRows, (r) => scope.values[scope.codes[r]!] ?? '?')) {
      if (sc !== 'group' && sc !== 'system') continue;
      const where = sc === 'group' ? 'service' : 'system';
      for (const d of derived) {
        const series = pickSeries(rows, end, len, d.v);
        if (!Array.from(series.values).some(Number.isFinite)) continue;
        out.push({ info: { id: `usage:${sc}:${d.id}`, name: `${d.name}, ${where}`, unit: d.unit, family: 'usage' }, series });
      }
    }
  }
  if (counters && counters.numRows > 0) {
    const event = dictColumn(counters, 'event');
    const scope = dictColumn(counters, 'scope');
    const end = numberColumn(counters, 'ts_ns');
    const len = numberColumn(counters, 'interval_ns');
    const rate = numberColumn(counters, 'value').map((v, r) => v / (len[r]! / 1e9));
    // perf names the recorded cgroup by its path, which differs from run to run: call it "group" so the same
    // counter has the same id in every bundle.
    const groupPath = bundle.manifest.workload.group.path;
    const scopeName = (sc: string) => (groupPath && (sc === groupPath || groupPath.endsWith(`/${sc}`) || sc.endsWith(`/${groupPath}`)) ? 'group' : sc);
    for (const [key, rows] of groupRows(counters.numRows, (r) => `${scopeName(scope.values[scope.codes[r]!] ?? '?')}:${event.values[event.codes[r]!] ?? '?'}`)) {
      const series = pickSeries(rows, end, len, rate);
      if (!Array.from(series.values).some(Number.isFinite)) continue;
      const [sc, ...ev] = key.split(':');
      out.push({ info: { id: `counter:${key}`, name: `${ev.join(':')} (${sc})`, unit: '/s', family: 'counters' }, series });
    }
  }
  return out;
}

function groupRows(n: number, key: (r: number) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let r = 0; r < n; r++) {
    const k = key(r);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return groups;
}

function pickSeries(rows: readonly number[], end: Float64Array, len: Float64Array, v: Float64Array): IntervalSeries {
  const sorted = [...rows].sort((a, b) => end[a]! - end[b]!);
  return { endNs: Float64Array.from(sorted, (r) => end[r]!), lengthNs: Float64Array.from(sorted, (r) => len[r]!), values: Float64Array.from(sorted, (r) => v[r]!) };
}

/** Rows (indices) of one service whose chosen inputs and target are all read. */
export function usableRows(d: VerifiedDataset, service: string, inputs: readonly string[], target: LatencyTarget): { rows: number[]; missingInputs: number } {
  const cols = inputs.map((id) => {
    const c = d.values.get(id);
    if (!c) throw new DatasetError(`no input "${id}" in these bundles; they have: ${d.metrics.map((m) => m.id).join(', ')}`);
    return c;
  });
  const rows: number[] = [];
  let missingInputs = 0;
  for (let r = 0; r < d.service.length; r++) {
    if (d.service[r] !== service) continue;
    if (!Number.isFinite(d.latency[target][r]!)) continue;
    if (cols.some((c) => !Number.isFinite(c[r]!))) {
      missingInputs++;
      continue;
    }
    rows.push(r);
  }
  return { rows, missingInputs };
}
