import { chownSync, existsSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { TABLE_SPECS, numberColumn, stringColumn } from '../../core/bundle/index.ts';
import { redecodeKept } from '../src/record/raw-capture.ts';
import { countBy, isRoot, readBack, runTlab, tempDir } from './helpers.ts';

// Real tracefs, real perf bench workloads, started here: no mocks. Needs root, as the other recording tests.
if (!isRoot) console.warn('collector-cli/test/record-sched-raw.test.ts: not root, so the trace_pipe_raw recording tests are SKIPPED (run as root, as CI does)');

const LOOPS = 20_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Every column of a sched row but its time, as text: two readers of the same event give the same key. */
function rowKeys(t: Table): { key: string; ts: number }[] {
  const cols = TABLE_SPECS.sched.columns.filter((c) => c.name !== 'ts_ns');
  const values = cols.map((c) => (c.kind === 'dict' ? stringColumn(t, c.name) : Array.from(numberColumn(t, c.name), (v) => (Number.isNaN(v) ? null : v))));
  const ts = numberColumn(t, 'ts_ns');
  const out: { key: string; ts: number }[] = [];
  for (let i = 0; i < t.numRows; i++) out.push({ key: values.map((v) => String(v[i])).join('|'), ts: ts[i]! });
  return out;
}

/** The pids of a workload: the process exec'd as `comm` and everything it forked. */
function workloadPids(t: Table, comm: string): Set<number> {
  const event = stringColumn(t, 'event');
  const targetComm = stringColumn(t, 'target_comm');
  const target = numberColumn(t, 'target_pid');
  const parent = numberColumn(t, 'parent_pid');
  const pids = new Set<number>();
  for (let i = 0; i < t.numRows; i++) {
    if (event[i] === 'sched_process_exec' && targetComm[i] === comm) pids.add(target[i]!);
    if (event[i] === 'sched_process_fork' && pids.has(parent[i]!)) pids.add(target[i]!);
  }
  return pids;
}

describe.sequential('tlab record --sources sched from trace_pipe_raw', { timeout: 180_000 }, () => {
  it.skipIf(!isRoot)(`records perf bench sched pipe -l ${LOOPS}: every event the kernel handed out is a row, in time order, the workload's switches among them; --keep-raw decodes again to the same table`, async () => {
    const dir = tempDir();
    const out = join(dir, 'pipe.tlab');
    const run = await runTlab(['record', '--sources', 'sched', '--require', 'sched', '--keep-raw', '--quiet', '-o', out, '--', 'perf', 'bench', 'sched', 'pipe', '-l', String(LOOPS)]);
    expect(run.code, run.stderr).toBe(0);
    const b = await readBack(out);
    const s = b.manifest.sources.sched!;
    expect(s.status, JSON.stringify(s)).toBe('ok');
    const st = s.settings as Record<string, unknown>;
    expect(st.reader).toBe('trace_pipe_raw');
    expect(st.readerFallback).toBeUndefined();
    const t = b.tables.sched!;

    // The kernel's own account (per_cpu/cpuN/stats, read by the recorder before the instance went away).
    const stats = st.kernelStatsPerCpu as { cpu: number; entries: number; overrun: number; commitOverrun: number; dropped: number; read: number }[];
    expect(stats.length).toBeGreaterThan(0);
    const kernelRead = stats.reduce((a, x) => a + x.read, 0);
    expect(kernelRead).toBeGreaterThan(2 * LOOPS);
    expect(t.numRows).toBe(kernelRead);
    const cpu = numberColumn(t, 'cpu');
    for (const x of stats) {
      expect(x.entries, `CPU ${x.cpu}: left in the buffer`).toBe(0);
      expect(cpu.filter((c) => c === x.cpu).length, `CPU ${x.cpu}`).toBe(x.read);
    }
    const kernelLost = stats.reduce((a, x) => a + x.overrun + x.commitOverrun + x.dropped, 0);
    expect(st.lostEvents).toBe(kernelLost);
    expect(kernelLost, 'an 8 MB buffer per CPU read every 100 ms should lose nothing here').toBe(0);
    expect(st.lostFromPageHeadersPerCpu).toEqual(stats.map(() => 0));
    expect(st.countsMatchKernel).toBe(true);

    // Time order per CPU, inside the recording.
    const ts = numberColumn(t, 'ts_ns');
    const lastOnCpu = new Map<number, number>();
    let backwards = 0;
    for (let i = 0; i < t.numRows; i++) {
      if (ts[i]! < (lastOnCpu.get(cpu[i]!) ?? -Infinity)) backwards++;
      lastOnCpu.set(cpu[i]!, ts[i]!);
    }
    expect(backwards).toBe(0);
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ts)).toBeLessThanOrEqual(b.manifest.workload.endNs + 1e9);

    // The workload: perf and the sched-pipe process it forks, each switched in about once per loop. Not exactly: a
    // task whose reply is already in the pipe when it reads does not sleep (seen: 19,998 switches in for 20,000 loops).
    const pids = workloadPids(t, 'perf');
    expect(pids.size).toBe(2);
    const event = stringColumn(t, 'event');
    const next = numberColumn(t, 'next_pid');
    const nextComm = stringColumn(t, 'next_comm');
    const intoWorkload = new Map<number, number>();
    for (let i = 0; i < t.numRows; i++) if (event[i] === 'sched_switch' && pids.has(next[i]!)) intoWorkload.set(next[i]!, (intoWorkload.get(next[i]!) ?? 0) + 1);
    for (const p of pids) expect(intoWorkload.get(p) ?? 0, `switches into pid ${p}`).toBeGreaterThanOrEqual(LOOPS / 2);
    // Before its exec the first process still bears the names of what forked it (the recorder's node, the cgroup's sh).
    const comms = countBy(nextComm.filter((_, i) => event[i] === 'sched_switch' && pids.has(next[i]!)));
    expect([...comms.keys()].every((c) => ['node', 'sh', 'perf', 'sched-pipe'].includes(c)), [...comms.keys()].join(', ')).toBe(true);
    expect(comms.get('sched-pipe') ?? 0).toBeGreaterThanOrEqual(LOOPS / 2);

    // raw/ holds the pages, header_page and formats: decoding them again gives the same table, row for row.
    expect([...b.raw.keys()]).toEqual(expect.arrayContaining(['raw/ftrace-raw/capture.json', 'raw/ftrace-raw/events/header_page', 'raw/ftrace-raw/events/sched/sched_switch/format', 'raw/ftrace-raw/cpu0.pages']));
    const again = redecodeKept(b.raw);
    expect(again.decoded.problems).toEqual([]);
    expect(again.decoded.eventsByCpu).toEqual(stats.map((x) => x.read));
    expect(again.decoded.table.numRows).toBe(t.numRows);
    const before = rowKeys(t);
    const after = rowKeys(again.decoded.table);
    let differ = 0;
    for (let i = 0; i < before.length; i++) if (before[i]!.key !== after[i]!.key || before[i]!.ts !== after[i]!.ts) differ++;
    expect(differ).toBe(0);
    // A damaged raw/ is refused naming the entry and what is wrong with it.
    const missing = new Map(b.raw);
    missing.delete('raw/ftrace-raw/cpu0.pages');
    expect(() => redecodeKept(missing)).toThrow(/raw\/ftrace-raw\/cpu0\.pages is missing \(CPU 0's pages\)/);
    const cut = new Map(b.raw);
    cut.set('raw/ftrace-raw/cpu0.pages', b.raw.get('raw/ftrace-raw/cpu0.pages')!.subarray(0, 100));
    expect(() => redecodeKept(cut)).toThrow(/cpu0\.pages: 100 bytes, but \d+ pages of \d+ bytes were written/);
  });

  it.skipIf(!isRoot)('a ring buffer too small to keep up loses events: counted from the page headers exactly as the kernel counts its overruns, and said loudly', async () => {
    const dir = tempDir();
    const out = join(dir, 'small.tlab');
    const bad = await runTlab(['record', '--sources', 'sched', '--sched-buffer-kb', '2.5', '-o', out, '--', 'true']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--sched-buffer-kb must be a whole number of KiB/);
    // 16 KiB per CPU fills in a few milliseconds of this workload, long before the next 100 ms read.
    const run = await runTlab(['record', '--sources', 'sched', '--sched-buffer-kb', '16', '--quiet', '-o', out, '--', 'perf', 'bench', 'sched', 'pipe', '-l', String(LOOPS)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/tlab: sched: EVENTS LOST: \d+ events/);
    const b = await readBack(out);
    const s = b.manifest.sources.sched!;
    expect(s.status).toBe('partial');
    if (s.status === 'partial') expect(s.reason).toMatch(/\d+ events lost \(ring buffer overrun\)/);
    expect(s.notes?.[0]).toMatch(/^EVENTS LOST: \d+ events/);
    const st = s.settings as { bufferSizeKbPerCpu: number; lostEvents: number; kernelStatsPerCpu: { read: number; overrun: number; commitOverrun: number; dropped: number }[]; lostFromPageHeadersPerCpu: number[]; lostUncountedPagesPerCpu: number[] };
    expect(st.bufferSizeKbPerCpu).toBe(16);
    const overrun = st.kernelStatsPerCpu.map((x) => x.overrun);
    expect(overrun.reduce((a, n) => a + n, 0)).toBeGreaterThan(0);
    st.kernelStatsPerCpu.forEach((x, cpu) => {
      // The kernel stores the count at the end of the page when there is room; a full page only carries the flag.
      if (st.lostUncountedPagesPerCpu[cpu] === 0) expect(st.lostFromPageHeadersPerCpu[cpu], `CPU ${cpu}`).toBe(x.overrun);
      else expect(st.lostFromPageHeadersPerCpu[cpu]).toBeLessThan(x.overrun);
    });
    expect(st.lostEvents).toBe(st.kernelStatsPerCpu.reduce((a, x) => a + x.overrun + x.commitOverrun + x.dropped, 0));
    expect(b.tables.sched!.numRows).toBe(st.kernelStatsPerCpu.reduce((a, x) => a + x.read, 0));
  });

  it.skipIf(!isRoot)('trace_pipe text and trace_pipe_raw, recording the same moments side by side, give the same events', async () => {
    const dir = tempDir();
    const rawOut = join(dir, 'raw.tlab');
    const textOut = join(dir, 'text.tlab');
    const done = join(dir, 'done');
    // The raw recording outlasts the text one: it ends when the marker appears.
    let started = false;
    const rawRun = runTlab(['record', '--sources', 'sched', '--require', 'sched', '--json', '-o', rawOut, '--', 'sh', '-c', `while [ ! -e ${done} ]; do sleep 0.1; done`], {
      onStderr: (text) => (started ||= /"started"/.test(text)),
    });
    for (let i = 0; i < 600 && !started; i++) await sleep(100);
    expect(started, 'the raw recording started').toBe(true);
    await sleep(500);
    const textRun = await runTlab(['record', '--sources', 'sched', '--require', 'sched', '--sched-reader', 'text', '--keep-raw', '--quiet', '-o', textOut, '--', 'perf', 'bench', 'sched', 'pipe', '-l', '3000']);
    writeFileSync(done, '');
    const rawDone = await rawRun;
    expect(textRun.code, textRun.stderr).toBe(0);
    expect(rawDone.code, rawDone.stderr).toBe(0);
    const [r, x] = [await readBack(rawOut), await readBack(textOut)];
    const rs = r.manifest.sources.sched!;
    const xs = x.manifest.sources.sched!;
    expect((rs.settings as Record<string, unknown>).reader).toBe('trace_pipe_raw');
    expect((xs.settings as Record<string, unknown>).reader).toBe('trace_pipe');
    expect((xs.settings as Record<string, unknown>).readerAsked).toBe('trace_pipe');
    // The text path keeps trace_pipe's text: one row per sched_switch line.
    const lines = new TextDecoder().decode(x.raw.get('raw/trace_pipe.txt')!).split('\n');
    expect(countBy(stringColumn(x.tables.sched!, 'event')).get('sched_switch')).toBe(lines.filter((l) => / sched_switch: /.test(l)).length);

    // Both on CLOCK_MONOTONIC: the window in which both were tracing, less 2 ms at each end.
    const origin = (s: typeof rs) => Number(BigInt((s.settings as Record<string, string>).clockOriginMonoNs!));
    const abs = (keys: { key: string; ts: number }[], o: number) => keys.map((k) => ({ key: k.key, ts: k.ts + o }));
    const a = abs(rowKeys(r.tables.sched!), origin(rs));
    const b = abs(rowKeys(x.tables.sched!), origin(xs));
    const lo = Math.max(a[0]!.ts, b[0]!.ts) + 2e6;
    const hi = Math.min(a[a.length - 1]!.ts, b[b.length - 1]!.ts) - 2e6;
    expect(hi - lo).toBeGreaterThan(1e8);
    const inWindow = (k: { ts: number }) => k.ts >= lo && k.ts <= hi;
    const ca = countBy(a.filter(inWindow).map((k) => k.key));
    const cb = countBy(b.filter(inWindow).map((k) => k.key));
    // A loop gives up to two switches and two wake-ups, fewer when a reply is already in the pipe (CI saw 9,980 for
    // 3,000 loops): at least two per loop shows the window holds the workload.
    expect([...cb.values()].reduce((p, q) => p + q, 0)).toBeGreaterThan(2 * 3000);
    // An event within a few microseconds of an edge may fall in on one side only (each instance reads the clock
    // itself; text has microseconds): those are the only differences allowed, besides what either lost.
    const nearEdge = (ts: number) => Math.abs(ts - lo) < 20_000 || Math.abs(ts - hi) < 20_000;
    const unexplained: string[] = [];
    for (const key of new Set([...ca.keys(), ...cb.keys()])) {
      const d = (ca.get(key) ?? 0) - (cb.get(key) ?? 0);
      if (d === 0) continue;
      const side = d > 0 ? a : b;
      const edge = side.filter((k) => k.key === key && inWindow(k) && nearEdge(k.ts)).length;
      if (edge < Math.abs(d)) unexplained.push(`${d > 0 ? 'raw' : 'text'} has ${Math.abs(d)} more of ${key}`);
    }
    const lost = Number((rs.settings as Record<string, number>).lostEvents) + Number((xs.settings as Record<string, number>).lostEvents);
    expect(unexplained.length, unexplained.slice(0, 10).join('\n')).toBeLessThanOrEqual(lost);
  });

  it.skipIf(!isRoot)('not root: the sched source is unavailable with the reason, and --require sched refuses before running', async () => {
    const dir = tempDir();
    const out = join(dir, 'nobody.tlab');
    chownSync(dir, 65534, 65534);
    const tlab = (args: string[]) => spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(import.meta.dirname, '../bin/tlab.js'), 'record', '--no-cgroup2', '--sources', 'sched', ...args], { encoding: 'utf8' });
    const ok = tlab(['--quiet', '-o', out, '--', 'true']);
    expect(ok.status, ok.stderr).toBe(0);
    const m = (await readBack(out)).manifest;
    const s = m.sources.sched!;
    expect(s.status).toBe('unavailable');
    if (s.status === 'unavailable') expect(s.reason).toMatch(/not root/);
    const marker = join(dir, 'ran');
    const refused = tlab(['--require', 'sched', '--quiet', '-o', join(dir, 'refused.tlab'), '--', 'touch', marker]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/required source sched is unavailable: not root/);
    expect(existsSync(marker)).toBe(false);
  });
});
