import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import type { Bundle } from '../bundle/reader.ts';
import { alignIntervals, alignReadings, forwardFill, gridOfTimes, type IntervalGrid } from './align.ts';
import { syscallCountsOnGrid } from './syscall-counts.ts';
import { groupCpu, sumInto } from '../series/group-cpu.ts';
import { countersAreReadings, isGaugeUnit } from '../series/counter-kind.ts';

/**
 * Named per-interval series of a bundle on one time grid: the intervals of the samples table (the recorder's
 * tick, about 0.2 s in the demo bundles). The grid keeps the recorded intervals as they are, irregular lengths
 * included (the first tick of a recording is often short), rather than resampling: usage deltas stay exact and
 * every rate is divided by its own interval's length. Horizons and histories count intervals of this grid.
 */

/** Which input set a series belongs to (the lab's input choices: usage; + syscalls; + PSI; + counters). */
export type SeriesFamily = 'usage' | 'syscalls' | 'syscall-embedding' | 'psi' | 'counters';

export interface SeriesInfo {
  readonly id: string;
  readonly name: string;
  readonly unit: string;
  readonly family: SeriesFamily;
  /** Share of intervals that hold a reading rather than a filled-in value (0..1). */
  readonly coverage: number;
}

export interface SeriesFrame {
  /** End of each interval, ns since the clock origin. */
  readonly tNs: Float64Array;
  /** Length of each interval, ns (interval i covers (tNs[i] − intervalNs[i], tNs[i]]). */
  readonly intervalNs: Float64Array;
  /** The median interval length in seconds (the grid's nominal step). */
  readonly intervalS: number;
  /** Values per series id, one per interval, no NaN (missing values filled, see `filled`). */
  readonly columns: Map<string, Float32Array>;
  readonly infos: readonly SeriesInfo[];
  /** How many values of each series were filled in rather than read. */
  readonly filled: Map<string, number>;
}

/** The lab's default target: CPU usage of the process group as a fraction of one CPU (0..cpuCount). */
export const DEFAULT_TARGET = 'group:cpu';

const MIB = 2 ** 20;
const TOP_PROCESSES = 5;

/** Group-scope columns of the samples table and how each becomes a series. */
const USAGE_COLUMNS: readonly { col: string; id: string; name: string; unit: string; kind: 'delta' | 'gauge'; scale: number }[] = [
  { col: 'rss_bytes', id: 'rss', name: 'memory (RSS)', unit: 'MiB', kind: 'gauge', scale: 1 / MIB },
  { col: 'vm_bytes', id: 'vm', name: 'virtual memory', unit: 'MiB', kind: 'gauge', scale: 1 / MIB },
  { col: 'read_bytes', id: 'read', name: 'storage read', unit: 'MiB/s', kind: 'delta', scale: 1 / MIB },
  { col: 'write_bytes', id: 'write', name: 'storage write', unit: 'MiB/s', kind: 'delta', scale: 1 / MIB },
  { col: 'minor_faults', id: 'minor_faults', name: 'minor faults', unit: '/s', kind: 'delta', scale: 1 },
  { col: 'major_faults', id: 'major_faults', name: 'major faults', unit: '/s', kind: 'delta', scale: 1 },
  { col: 'voluntary_ctxsw', id: 'voluntary_ctxsw', name: 'voluntary context switches', unit: '/s', kind: 'delta', scale: 1 },
  { col: 'involuntary_ctxsw', id: 'involuntary_ctxsw', name: 'involuntary context switches', unit: '/s', kind: 'delta', scale: 1 },
  { col: 'threads', id: 'threads', name: 'threads', unit: 'count', kind: 'gauge', scale: 1 },
];

interface Computed {
  readonly grid: IntervalGrid;
  readonly infos: SeriesInfo[];
  readonly values: Map<string, Float64Array>;
  readonly filled: Map<string, number>;
}

// Series are cheap to compute (one pass per table) but listSeries then buildSeries would do it twice.
const cache = new WeakMap<Bundle, Computed>();

/** Every series the bundle can give, with ids, names and units; empty when it has neither samples nor imported readings. */
export function listSeries(bundle: Bundle): SeriesInfo[] {
  return [...compute(bundle).infos];
}

/** The chosen series on the samples grid. Throws on an unknown id (a programming or spec error). */
export function buildSeries(bundle: Bundle, ids: readonly string[]): SeriesFrame {
  const c = compute(bundle);
  const byId = new Map(c.infos.map((s) => [s.id, s]));
  const columns = new Map<string, Float32Array>();
  const filled = new Map<string, number>();
  const infos: SeriesInfo[] = [];
  for (const id of ids) {
    const info = byId.get(id);
    if (!info) throw new Error(`unknown series "${id}"${c.infos.length === 0 ? ' (the bundle has no samples table and no imported time series)' : ''}`);
    if (columns.has(id)) continue;
    columns.set(id, Float32Array.from(c.values.get(id)!));
    filled.set(id, c.filled.get(id) ?? 0);
    infos.push(info);
  }
  return { tNs: c.grid.endNs, intervalNs: c.grid.lengthNs, intervalS: medianSeconds(c.grid.lengthNs), columns, infos, filled };
}

/**
 * Ids of the listed series in the given families (e.g. the inputs "usage + PSI"), leaving out series read in
 * fewer than `minCoverage` of the intervals (default half): mostly filled-in values carry little information.
 */
export function seriesIdsOf(infos: readonly SeriesInfo[], families: readonly SeriesFamily[], minCoverage = 0.5): string[] {
  return infos.filter((s) => families.includes(s.family) && s.coverage >= minCoverage).map((s) => s.id);
}

function compute(bundle: Bundle): Computed {
  const hit = cache.get(bundle);
  if (hit) return hit;
  const out: Computed = { grid: { endNs: new Float64Array(0), lengthNs: new Float64Array(0) }, infos: [], values: new Map(), filled: new Map() };
  const samples = bundle.tables.samples;
  const readings = countersAreReadings(bundle.manifest);
  let grid = samples && samples.numRows > 0 ? usageSeries(samples, out) : out.grid;
  // Without usage samples, an imported time series (CSV, Prometheus, perf stat, a PSI log) sets the grid by its rows' times.
  if (grid.endNs.length === 0) grid = readingTimesGrid(bundle);
  if (grid.endNs.length > 0) {
    if (bundle.tables.syscalls) syscallSeries(bundle.tables.syscalls, grid, out);
    if (bundle.tables.psi) psiSeries(bundle.tables.psi, grid, out);
    if (bundle.tables.counters) counterSeries(bundle.tables.counters, grid, out, readings);
  }
  const done: Computed = { ...out, grid };
  cache.set(bundle, done);
  return done;
}

function add(out: Computed, info: Omit<SeriesInfo, 'coverage'>, values: Float64Array, fill: 'forward' | 'zero'): void {
  if (!values.some((v) => Number.isFinite(v))) return; // never read: nothing to forecast from
  let filled = 0;
  if (fill === 'forward') filled = forwardFill(values);
  else {
    // 'zero': absence is itself the reading (no call made, process not running), so nothing counts as filled.
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) values[i] = 0;
  }
  out.infos.push({ ...info, coverage: values.length > 0 ? 1 - filled / values.length : 0 });
  out.values.set(info.id, values);
  out.filled.set(info.id, filled);
}

/**
 * The grid and the usage series. The grid is the group scope's rows (one per tick). A bundle without a group
 * scope (an import of per-process data) gets its group summed from the process rows of each tick instead.
 * CPU: the samples table stores CPU *time* (cpu_user_s + cpu_system_s, seconds) spent during the interval, so
 * the share of one CPU is that time over the interval's length; grid and group CPU come from groupCpu
 * (core/series/group-cpu.ts), which the overview's CPU chart uses too.
 */
function usageSeries(samples: Table, out: Computed): IntervalGrid {
  const scope = dictColumn(samples, 'scope');
  const pid = numberColumn(samples, 'pid');
  const comm = dictColumn(samples, 'comm');
  const user = numberColumn(samples, 'cpu_user_s');
  const sys = numberColumn(samples, 'cpu_system_s');
  const systemCode = scope.values.indexOf('system');
  const processCode = scope.values.indexOf('process');
  // The grid and the group's CPU: the one definition the overview charts too (core/series/group-cpu.ts).
  const g = groupCpu(samples);
  if (g.from === 'none') return { endNs: new Float64Array(0), lengthNs: new Float64Array(0) };
  const useGroup = g.from === 'group';
  const gridScope = useGroup ? scope.values.indexOf('group') : processCode;
  const n = g.endNs.length;
  const grid: IntervalGrid = { endNs: g.endNs, lengthNs: g.lengthNs };
  const seconds = Float64Array.from(grid.lengthNs, (l) => l / 1e9);

  const nan = () => new Float64Array(n).fill(Number.NaN);
  const cpu = Float64Array.from(g.cpu);
  const cpuUser = Float64Array.from(g.user);
  const cpuSys = Float64Array.from(g.system);
  const sysCpu = nan();
  const cols = USAGE_COLUMNS.map((c) => ({ ...c, raw: numberColumn(samples, c.col), v: nan() }));
  const procCpu = new Map<number, { label: string; total: number; v: Float64Array }>();

  for (let i = 0; i < samples.numRows; i++) {
    const t = g.tickOfRow[i]!;
    if (t < 0) continue;
    const code = scope.codes[i]!;
    const c = user[i]! + sys[i]!; // NaN when either is missing, as in the overview
    if (code === systemCode) {
      sysCpu[t] = c / seconds[t]!;
      continue;
    }
    if (code === processCode) {
      const p = pid[i]!;
      let e = procCpu.get(p);
      if (!e) procCpu.set(p, (e = { label: `${comm.values[comm.codes[i]!] ?? '?'} (${p})`, total: 0, v: new Float64Array(n) }));
      if (Number.isFinite(c)) {
        e.v[t] = e.v[t]! + c / seconds[t]!;
        e.total += c;
      }
    }
    if (code !== gridScope) continue;
    if (useGroup) {
      for (const col of cols) col.v[t] = col.kind === 'delta' ? (col.raw[i]! * col.scale) / seconds[t]! : col.raw[i]! * col.scale;
    } else {
      for (const col of cols) {
        const x = col.raw[i]!;
        if (Number.isFinite(x)) sumInto(col.v, t, col.kind === 'delta' ? (x * col.scale) / seconds[t]! : x * col.scale);
      }
    }
  }

  const u = (id: string, name: string, unit: string): Omit<SeriesInfo, 'coverage'> => ({ id: `group:${id}`, name: `group ${name}`, unit, family: 'usage' });
  // A missing usage reading (null in the table) is carried forward: the group's usage changes gradually.
  add(out, u('cpu', 'CPU usage', 'CPUs'), cpu, 'forward');
  add(out, u('cpu_user', 'CPU usage, user mode', 'CPUs'), cpuUser, 'forward');
  add(out, u('cpu_system', 'CPU usage, kernel mode', 'CPUs'), cpuSys, 'forward');
  for (const col of cols) add(out, u(col.id, col.name, col.unit), col.v, 'forward');
  add(out, { id: 'system:cpu', name: 'system CPU usage', unit: 'CPUs', family: 'usage' }, sysCpu, 'forward');
  // The busiest processes: a process absent from a tick (not yet started, or exited) used no CPU, so 0.
  const top = [...procCpu].sort((a, b) => b[1].total - a[1].total).slice(0, TOP_PROCESSES);
  for (const [p, e] of top) {
    if (e.total > 0) add(out, { id: `process:${p}:cpu`, name: `${e.label} CPU usage`, unit: 'CPUs', family: 'usage' }, e.v, 'zero');
  }
  return grid;
}

/** Calls per interval, in total and per name (kind "syscall" only: signals and exits are not calls). */
function syscallSeries(syscalls: Table, grid: IntervalGrid, out: Computed): void {
  const { names, counts } = syscallCountsOnGrid(syscalls, grid);
  const n = grid.endNs.length;
  const total = new Float64Array(n);
  const per = names.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < names.length; k++) {
      const c = counts[i * names.length + k]!;
      per[k]![i] = c;
      total[i]! += c;
    }
  }
  if (names.length === 0) return;
  // Zero calls in an interval is a reading, not a gap: no filling is needed.
  add(out, { id: 'syscalls:total', name: 'system calls', unit: 'calls', family: 'syscalls' }, total, 'zero');
  names.forEach((name, k) => add(out, { id: `syscall:${name}`, name: `${name} calls`, unit: 'calls', family: 'syscalls' }, per[k]!, 'zero'));
}

/** Share of each interval stalled, per scope and resource, some and full (overlap-weighted onto the grid). */
function psiSeries(psi: Table, grid: IntervalGrid, out: Computed): void {
  const ts = numberColumn(psi, 'ts_ns');
  const len = numberColumn(psi, 'interval_ns');
  const scope = dictColumn(psi, 'scope');
  const resource = dictColumn(psi, 'resource');
  const some = numberColumn(psi, 'some_fraction');
  const full = numberColumn(psi, 'full_fraction');
  const groups = groupRows(psi.numRows, ts, (i) => `${scope.values[scope.codes[i]!] ?? '?'}:${resource.values[resource.codes[i]!] ?? '?'}`);
  for (const [key, rows] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const pick = (v: Float64Array) => Float64Array.from(rows, (r) => v[r]!);
    const end = pick(ts);
    const l = pick(len);
    const label = key.replace(':', ' ');
    // A tick without a PSI reading keeps the last one: pressure is an average over time, not an event count.
    add(out, { id: `psi:${key}:some`, name: `PSI ${label} some`, unit: 'fraction', family: 'psi' }, alignIntervals(grid, end, l, pick(some), 'mean'), 'forward');
    add(out, { id: `psi:${key}:full`, name: `PSI ${label} full`, unit: 'fraction', family: 'psi' }, alignIntervals(grid, end, l, pick(full), 'mean'), 'forward');
  }
}

/** The row times of the counters and PSI tables, as a grid. */
function readingTimesGrid(bundle: Bundle): IntervalGrid {
  const times: Float64Array[] = [];
  if (bundle.tables.counters) times.push(numberColumn(bundle.tables.counters, 'ts_ns'));
  if (bundle.tables.psi) times.push(numberColumn(bundle.tables.psi, 'ts_ns'));
  return gridOfTimes(times.flatMap((t) => Array.from(t)));
}

/**
 * Counters per event and scope. A count over an interval (perf stat) becomes a rate per second prorated onto the
 * grid; a reading (an imported time series, or a gauge unit such as %) is the mean of the readings in each
 * interval, in its own unit, as the overview charts it.
 */
function counterSeries(counters: Table, grid: IntervalGrid, out: Computed, readings: boolean): void {
  const ts = numberColumn(counters, 'ts_ns');
  const len = numberColumn(counters, 'interval_ns');
  const event = dictColumn(counters, 'event');
  const unit = dictColumn(counters, 'unit');
  const scope = dictColumn(counters, 'scope');
  const value = numberColumn(counters, 'value');
  const units = new Map<string, string>();
  const groups = groupRows(counters.numRows, ts, (i) => {
    const key = `${event.values[event.codes[i]!] ?? '?'}@${scope.values[scope.codes[i]!] ?? ''}`;
    const u = unit.values[unit.codes[i]!];
    if (u && !units.has(key)) units.set(key, u);
    return key;
  });
  for (const [key, rows] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const pick = (v: Float64Array) => Float64Array.from(rows, (r) => v[r]!);
    const [ev, sc] = key.split('@') as [string, string];
    const u = units.get(key);
    const name = sc && sc !== 'group' ? `${ev} (${sc})` : ev;
    // "<not counted>" (null) is missing, not zero: carried forward like any gauge of activity.
    if (readings || isGaugeUnit(u)) {
      add(out, { id: `counter:${key}`, name, unit: u ?? '', family: 'counters' }, alignReadings(grid, pick(ts), pick(value)), 'forward');
    } else {
      add(out, { id: `counter:${key}`, name, unit: u ? `${u}/s` : '/s', family: 'counters' }, alignIntervals(grid, pick(ts), pick(len), pick(value), 'rate'), 'forward');
    }
  }
}

/** Row indices per key, each list in time order. */
function groupRows(rows: number, ts: Float64Array, keyOf: (i: number) => string): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < rows; i++) {
    const key = keyOf(i);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  for (const g of groups.values()) {
    for (let k = 1; k < g.length; k++) {
      if (ts[g[k]!]! < ts[g[k - 1]!]!) {
        g.sort((a, b) => ts[a]! - ts[b]!);
        break;
      }
    }
  }
  return groups;
}

function medianSeconds(lengthNs: Float64Array): number {
  if (lengthNs.length === 0) return 0;
  const s = Float64Array.from(lengthNs).sort();
  const m = s.length >> 1;
  return (s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2) / 1e9;
}

/**
 * A frame from plain columns on a regular grid (tests, synthetic experiments, series from elsewhere). Every
 * column must have one value per interval and no NaN.
 */
export function frameFromColumns(columns: Record<string, ArrayLike<number>>, intervalS = 1, units: Record<string, string> = {}): SeriesFrame {
  const ids = Object.keys(columns);
  const n = ids.length > 0 ? columns[ids[0]!]!.length : 0;
  const map = new Map<string, Float32Array>();
  for (const id of ids) {
    const v = columns[id]!;
    if (v.length !== n) throw new Error(`column "${id}" has ${v.length} values, expected ${n}`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(v[i]!)) throw new Error(`column "${id}" has a missing value at ${i}`);
    map.set(id, Float32Array.from(v));
  }
  const step = intervalS * 1e9;
  return {
    tNs: Float64Array.from({ length: n }, (_, i) => (i + 1) * step),
    intervalNs: new Float64Array(n).fill(step),
    intervalS,
    columns: map,
    infos: ids.map((id) => ({ id, name: id, unit: units[id] ?? '', family: 'usage' as const, coverage: 1 })),
    filled: new Map(ids.map((id) => [id, 0])),
  };
}
