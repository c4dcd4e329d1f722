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
    (s) => (families as readonly string[]).includes(s.family as string) && !s.id.startsWith('process:') && (includeSystem || !(s.id.startsWith('system:') || s.id.startsWith('psi:system:'))),
  );
  const frame = buildSeries(bundle, infos.map((s) => s.id));
  const series = new Map<string, Float64Array>();
  const names = new Map<string, string>();
  for (const s of infos) {
    const id = canonicalId(s.id);
    series.set(id, Float64Array.from(frame.columns.get(s.id)!));
    names.set(id, `${s.name.replace(/ \(tlab-\d+-\d+\)$/, '')} (${s.unit})`);
  }
  if (families.includes('sched') && bundle.tables.sched && frame.tNs.length > 0) {
    for (const [id, v] of schedSeries(bundle, frame.tNs, frame.intervalNs)) {
      series.set(id, v);
      names.set(id, SCHED_NAMES[id] ?? id);
    }
  }
  const t0 = frame.tNs.length ? frame.tNs[0]! : 0;
  return { tS: Float64Array.from(frame.tNs, (t) => (t - t0) / 1e9), series, names };
}

const SCHED_NAMES: Record<string, string> = {
  'sched:switches': 'switches in or out of the group (/s)',
  'sched:wakeups': 'wake-ups of the group (/s)',
  'sched:migrations': 'migrations of the group (/s)',
  'sched:forks': 'forks by the group (/s)',
};

/**
 * Scheduler statistics of the recorded group per interval of the samples grid (interval i covers
 * (end_i − length_i, end_i]): sched_switch events with a group task switched in or out, wake-ups (sched_wakeup and
 * sched_wakeup_new) and migrations of a group task, forks by one; the group's tasks are the pids of its process
 * rows in the samples table (the scheduler trace itself is machine-wide).
 */
export function schedSeries(bundle: Bundle, endNs: Float64Array, lengthNs: Float64Array): Map<string, Float64Array> {
  const samples = bundle.tables.samples!;
  const sched = bundle.tables.sched!;
  const scope = dictColumn(samples, 'scope');
  const spid = numberColumn(samples, 'pid');
  const proc = scope.values.indexOf('process');
  const pids = new Set<number>();
  for (let i = 0; i < samples.numRows; i++) if (scope.codes[i] === proc && Number.isFinite(spid[i]!)) pids.add(spid[i]!);
  const n = endNs.length;
  const out = new Map<string, Float64Array>(Object.keys(SCHED_NAMES).map((k) => [k, new Float64Array(n)]));
  const ts = numberColumn(sched, 'ts_ns');
  const ev = dictColumn(sched, 'event');
  const prev = numberColumn(sched, 'prev_pid');
  const next = numberColumn(sched, 'next_pid');
  const target = numberColumn(sched, 'target_pid');
  const parent = numberColumn(sched, 'parent_pid');
  const code = (name: string) => ev.values.indexOf(name);
  const SW = code('sched_switch');
  const WK = code('sched_wakeup');
  const WN = code('sched_wakeup_new');
  const MG = code('sched_migrate_task');
  const FK = code('sched_process_fork');
  const starts = Float64Array.from(endNs, (e, i) => e - lengthNs[i]!);
  for (let i = 0; i < sched.numRows; i++) {
    const t = ts[i]!;
    // The interval (start, end] holding t, by binary search on the ends.
    let lo = 0;
    let hi = n - 1;
    if (!(t > starts[0]!) || t > endNs[n - 1]!) continue;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (endNs[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    if (!(t > starts[lo]!)) continue;
    const c = ev.codes[i]!;
    let key: string | null = null;
    if (c === SW && (pids.has(prev[i]!) || pids.has(next[i]!))) key = 'sched:switches';
    else if ((c === WK || c === WN) && pids.has(target[i]!)) key = 'sched:wakeups';
    else if (c === MG && pids.has(target[i]!)) key = 'sched:migrations';
    else if (c === FK && pids.has(parent[i]!)) key = 'sched:forks';
    if (key) out.get(key)![lo]! += 1;
  }
  for (const v of out.values()) for (let i = 0; i < n; i++) v[i] = v[i]! / (lengthNs[i]! / 1e9);
  return out;
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
