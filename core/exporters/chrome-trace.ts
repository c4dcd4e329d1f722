import type { Bundle } from '../bundle/reader.ts';
import { dictColumn, numberColumn } from '../bundle/columns.ts';

/**
 * A bundle as a Chrome JSON trace, which ui.perfetto.dev (and chrome://tracing) open: scheduling as one track
 * per CPU with a slice per task run, system calls as slices on their threads, and usage, PSI and counters as
 * counter tracks. Produced in pieces so a trace of millions of events is never one string.
 */

// Synthetic process ids for the tracks that are not processes; far above any real pid (pid_max <= 2^22).
const CPU_PID = 1_000_000_001;
const COUNTER_PID = 1_000_000_002;
const USAGE_PID = 1_000_000_003;

const us = (ns: number) => Math.round(ns) / 1000;

function meta(pid: number, name: string, tid?: number): string {
  return JSON.stringify(
    tid === undefined
      ? { name: 'process_name', ph: 'M', pid, args: { name } }
      : { name: 'thread_name', ph: 'M', pid, tid, args: { name } },
  );
}

function* schedEvents(bundle: Bundle): Generator<string> {
  const t = bundle.tables.sched;
  if (!t || t.numRows === 0) return;
  const ts = numberColumn(t, 'ts_ns');
  const cpu = numberColumn(t, 'cpu');
  const event = dictColumn(t, 'event');
  const nextPid = numberColumn(t, 'next_pid');
  const nextComm = dictColumn(t, 'next_comm');
  const prevState = dictColumn(t, 'prev_state');
  const switchCode = event.values.indexOf('sched_switch');
  yield meta(CPU_PID, 'CPUs');
  const running = new Map<number, { since: number; pid: number; comm: string }>();
  const order = Array.from(ts.keys()).sort((a, b) => ts[a]! - ts[b]!);
  for (const i of order) {
    if (event.codes[i] !== switchCode) continue;
    const c = cpu[i]!;
    if (!running.has(c)) yield meta(CPU_PID, `CPU ${c}`, c);
    const r = running.get(c);
    if (r && r.pid !== 0) {
      yield JSON.stringify({
        name: `${r.comm} ${r.pid}`,
        ph: 'X',
        ts: us(r.since),
        dur: us(ts[i]! - r.since),
        pid: CPU_PID,
        tid: c,
        args: { pid: r.pid, endState: prevState.values[prevState.codes[i]!] ?? null },
      });
    }
    running.set(c, { since: ts[i]!, pid: nextPid[i]!, comm: nextComm.values[nextComm.codes[i]!] ?? '?' });
  }
}

function* syscallEvents(bundle: Bundle): Generator<string> {
  const t = bundle.tables.syscalls;
  if (!t || t.numRows === 0) return;
  const ts = numberColumn(t, 'ts_ns');
  const pid = numberColumn(t, 'pid');
  const tid = numberColumn(t, 'tid');
  const kind = dictColumn(t, 'kind');
  const name = dictColumn(t, 'name');
  const dur = numberColumn(t, 'duration_ns');
  const ret = numberColumn(t, 'ret');
  const errno = dictColumn(t, 'errno');
  const seen = new Set<number>();
  for (let i = 0; i < t.numRows; i++) {
    if (!seen.has(pid[i]!)) {
      seen.add(pid[i]!);
      yield meta(pid[i]!, `pid ${pid[i]}`);
    }
    const k = kind.values[kind.codes[i]!];
    const args = { ret: Number.isNaN(ret[i]!) ? null : ret[i], errno: errno.values[errno.codes[i]!] ?? null };
    const base = { name: name.values[name.codes[i]!] ?? '?', ts: us(ts[i]!), pid: pid[i], tid: tid[i], cat: k };
    yield JSON.stringify(k === 'syscall' && !Number.isNaN(dur[i]!) ? { ...base, ph: 'X', dur: us(dur[i]!), args } : { ...base, ph: 'i', s: 't', args });
  }
}

function* counterEvents(bundle: Bundle): Generator<string> {
  const c = bundle.tables.counters;
  if (c && c.numRows > 0) {
    yield meta(COUNTER_PID, 'Counters (per second)');
    const ts = numberColumn(c, 'ts_ns');
    const iv = numberColumn(c, 'interval_ns');
    const event = dictColumn(c, 'event');
    const scope = dictColumn(c, 'scope');
    const value = numberColumn(c, 'value');
    for (let i = 0; i < c.numRows; i++) {
      if (!(iv[i]! > 0) || Number.isNaN(value[i]!)) continue;
      const name = `${event.values[event.codes[i]!]} (${scope.values[scope.codes[i]!]})`;
      // A counter track holds the rate over the interval that ends at ts, so it starts at the interval's start.
      yield JSON.stringify({ name, ph: 'C', ts: us(ts[i]! - iv[i]!), pid: COUNTER_PID, args: { value: value[i]! / (iv[i]! / 1e9) } });
    }
  }
  const s = bundle.tables.samples;
  const p = bundle.tables.psi;
  if ((s && s.numRows > 0) || (p && p.numRows > 0)) yield meta(USAGE_PID, 'Usage and pressure');
  if (s && s.numRows > 0) {
    const ts = numberColumn(s, 'ts_ns');
    const iv = numberColumn(s, 'interval_ns');
    const scope = dictColumn(s, 'scope');
    const user = numberColumn(s, 'cpu_user_s');
    const sys = numberColumn(s, 'cpu_system_s');
    const rss = numberColumn(s, 'rss_bytes');
    for (let i = 0; i < s.numRows; i++) {
      if (scope.values[scope.codes[i]!] !== 'group' || !(iv[i]! > 0)) continue;
      const cores = (user[i]! + sys[i]!) / (iv[i]! / 1e9);
      if (!Number.isNaN(cores)) yield JSON.stringify({ name: 'group CPU (cores)', ph: 'C', ts: us(ts[i]! - iv[i]!), pid: USAGE_PID, args: { value: cores } });
      if (!Number.isNaN(rss[i]!)) yield JSON.stringify({ name: 'group memory (MiB)', ph: 'C', ts: us(ts[i]!), pid: USAGE_PID, args: { value: rss[i]! / 2 ** 20 } });
    }
  }
  if (p && p.numRows > 0) {
    const ts = numberColumn(p, 'ts_ns');
    const iv = numberColumn(p, 'interval_ns');
    const scope = dictColumn(p, 'scope');
    const resource = dictColumn(p, 'resource');
    const some = numberColumn(p, 'some_fraction');
    for (let i = 0; i < p.numRows; i++) {
      if (Number.isNaN(some[i]!)) continue;
      const name = `PSI ${scope.values[scope.codes[i]!]} ${resource.values[resource.codes[i]!]} some (%)`;
      yield JSON.stringify({ name, ph: 'C', ts: us(ts[i]! - iv[i]!), pid: USAGE_PID, args: { value: some[i]! * 100 } });
    }
  }
}

export function* chromeTraceJson(bundle: Bundle): Generator<string> {
  yield `{"displayTimeUnit":"ns","otherData":${JSON.stringify({ workload: bundle.manifest.workload.label, producer: bundle.manifest.producer })},"traceEvents":[\n`;
  let first = true;
  for (const part of [schedEvents(bundle), syscallEvents(bundle), counterEvents(bundle)]) {
    for (const e of part) {
      yield first ? e : `,\n${e}`;
      first = false;
    }
  }
  yield '\n]}\n';
}
