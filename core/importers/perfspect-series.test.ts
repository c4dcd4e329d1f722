import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCapture } from './capture-to-bundle.ts';
import { PerfStatParser } from './perf-stat.ts';
import { PerfSpectSeriesParser } from './perfspect-series.ts';
import { feed, insertLines, rowsOf, type PlainRow } from './testing/parse-helpers.ts';

// fixtures/perfspect-series/ are NOT PerfSpect output: they are the real perf stat capture
// perf-stat/perf-stat-a-A-I200.csv laid out by scripts/perfspect-layout-fixtures.mjs the way PerfSpect's writers
// lay out metrics (fixtures/SOURCES.md). So every expected row below is computed here from that capture, read by
// PerfStatParser, and the importer is checked against the real numbers through the layout.

const root = new URL('../../', import.meta.url);
const series = (name: string) => new Uint8Array(readFileSync(new URL(`fixtures/perfspect-series/${name}`, root)));
const text = (name: string) => new TextDecoder().decode(series(name));
const encode = (s: string) => new TextEncoder().encode(s);

async function parse(data: Uint8Array, chunkBytes?: number) {
  const p = new PerfSpectSeriesParser();
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

// ---- what the capture says ----

interface Slice {
  tsNs: number;
  counts: Map<string, number>;
}

async function captureSlices(): Promise<{ slices: Slice[]; events: string[]; cpus: string[] }> {
  const p = new PerfStatParser();
  await feed(p, new Uint8Array(readFileSync(new URL('fixtures/perf-stat/perf-stat-a-A-I200.csv', root))));
  const r = p.finish();
  const slices: Slice[] = [];
  const cpus: string[] = [];
  for (const row of rowsOf(r.table)) {
    const ts = row.ts_ns as number;
    if (slices.at(-1)?.tsNs !== ts) slices.push({ tsNs: ts, counts: new Map() });
    slices.at(-1)!.counts.set(`${row.event}@${row.scope}`, row.value as number);
    if (!cpus.includes(row.scope as string)) cpus.push(row.scope as string);
  }
  return { slices, events: r.events, cpus };
}

/** Events per second over the slice: the counts of the given CPUs added up, over the time since the previous slice. */
function rate(s: Slice, event: string, cpus: string[], seconds: number): number {
  return cpus.reduce((sum, c) => sum + s.counts.get(`${event}@${c}`)!, 0) / seconds;
}

const row = (ts_ns: number, interval_ns: number, event: string, value: number, scope: string): PlainRow => ({ ts_ns, interval_ns, event, value, unit: null, scope, running_fraction: null });

/**
 * 1.x: PerfSpect drops a slice shorter than 4.5 s of its 5 s interval; of perf's 200 ms that is 180 ms, which drops
 * the capture's last slice (4.5 ms). Values are rounded to 8 decimals. Times are perf's, counted from the first row.
 */
async function expected1x(perCpu: boolean): Promise<PlainRow[]> {
  const { slices, events, cpus } = await captureSlices();
  const out: PlainRow[] = [];
  let prevNs = 0;
  let firstNs: number | null = null;
  for (const s of slices) {
    const seconds = s.tsNs / 1e9 - prevNs / 1e9;
    if (seconds < 0.18) continue;
    firstNs ??= s.tsNs;
    for (const e of events) {
      for (const scope of perCpu ? cpus : ['system']) {
        const v = Number(rate(s, e, perCpu ? [scope] : cpus, seconds).toFixed(8));
        out.push(row(s.tsNs - firstNs, s.tsNs - prevNs, `${e} per sec`, v, scope));
      }
    }
    prevNs = s.tsNs;
  }
  return out;
}

// `date -u -d '2026-11-22 07:11:09' +%s`: the capture's "# started on Sun Nov 22 07:11:09 2026" (the machine is on UTC).
const STARTED_ON = 1795331469;

/**
 * 3.x: every slice, at the start time plus the slice's whole seconds; 8 significant digits. The capture's slices
 * fall in two seconds, so the first second's interval is the 1 s gap to the next.
 */
async function expected3x(perCpu: boolean): Promise<PlainRow[]> {
  const { slices, events, cpus } = await captureSlices();
  const out: PlainRow[] = [];
  let prevNs = 0;
  for (const s of slices) {
    const seconds = s.tsNs / 1e9 - prevNs / 1e9;
    const ts = Math.trunc(s.tsNs / 1e9) * 1e9;
    for (const scope of perCpu ? cpus : ['system']) {
      for (const e of events) out.push(row(ts, 1e9, `${e} per sec`, Number(rate(s, e, perCpu ? [scope] : cpus, seconds).toPrecision(8)), scope));
    }
    prevNs = s.tsNs;
  }
  return out;
}

const FILES = [
  { name: 'metric_out.sys.csv', layout: '1.x', modes: ['system'], expected: () => expected1x(false) },
  { name: 'metric_out.cpu.csv', layout: '1.x', modes: ['cpu'], expected: () => expected1x(true) },
  { name: 'sys_metrics.csv', layout: '3.x', modes: ['system'], expected: () => expected3x(false) },
  { name: 'cpu_metrics.csv', layout: '3.x', modes: ['cpu'], expected: () => expected3x(true) },
] as const;

describe('PerfSpect metric time series (layouts of the real perf stat capture perf-stat-a-A-I200.csv)', () => {
  it('the fixtures are what scripts/perfspect-layout-fixtures.mjs makes of the capture', () => {
    expect(execFileSync(process.execPath, [new URL('scripts/perfspect-layout-fixtures.mjs', root).pathname, '--check'], { encoding: 'utf8' })).toMatch(/4 files as generated/);
  });

  for (const f of FILES) {
    it(`${f.name}: the capture's rates, one row per metric cell`, async () => {
      const r = await parse(series(f.name));
      expect(r.problems).toEqual([]);
      expect(r.layout).toBe(f.layout);
      expect(r.modes).toEqual(f.modes);
      expect(r.metrics).toEqual(['task-clock per sec', 'context-switches per sec', 'cpu-migrations per sec', 'page-faults per sec']);
      expect(r.rows).toEqual(await f.expected());
    });

    it(`${f.name}: the same rows in 7-byte chunks`, async () => {
      expect((await parse(series(f.name), 7)).rows).toEqual((await parse(series(f.name))).rows);
    });
  }

  it('1.x: times from the first row, exact to the ns; the first interval is its own time', async () => {
    const r = await parse(series('metric_out.sys.csv'));
    // Rows 2 and 3 of the file: "0.200267437,…" and "0.401086971,…".
    expect(r.rows[0]).toMatchObject({ ts_ns: 0, interval_ns: 200267437, scope: 'system' });
    expect(r.rows[4]).toMatchObject({ ts_ns: 200819534, interval_ns: 200819534 });
    expect(r.timestamps).toBe(5);
    expect(r.firstUnixSec).toBeNull();
  });

  it('3.x: slices in the same whole second share its time and are counted', async () => {
    const r = await parse(series('cpu_metrics.csv'));
    expect(r.firstUnixSec).toBe(STARTED_ON);
    expect(r.timestamps).toBe(2);
    expect(r.scopes).toEqual(['cpu0', 'cpu1']);
    // 4 slices per CPU in the first second, 2 in the second: 3 + 1 repeats per CPU.
    expect(r.repeatedTimes).toBe(8);
  });

  it('1.x socket mode: ".S<n>" suffixes give the S<n> scopes perf stat --per-socket uses', async () => {
    const socketText = text('metric_out.cpu.csv').split('\n')[0]!.replace(/ per sec\.(\d)/g, ' per sec.S$1');
    const r = await parse(encode([socketText, ...text('metric_out.cpu.csv').split('\n').slice(1)].join('\n')));
    expect(r.modes).toEqual(['socket']);
    expect(r.scopes).toEqual(['S0', 'S1']);
    expect(r.rows.map((x) => x.value)).toEqual((await parse(series('metric_out.cpu.csv'))).rows.map((x) => x.value));
  });

  it('3.x socket and cgroup rows: SKT gives S<n>, CID gives the cgroup as written', async () => {
    const lines = text('cpu_metrics.csv').trimEnd().split('\n');
    // The CPU column moved to SKT, then to CID; the values stay the capture's.
    const toSocket = lines.map((l, i) => (i === 0 ? l : l.replace(/^(\d+),,(\d),,/, '$1,$2,,,')));
    const toCgroup = lines.map((l, i) => (i === 0 ? l : l.replace(/^(\d+),,(\d),,/, '$1,,,cg$2,')));
    const socket = await parse(encode(toSocket.join('\n')));
    const cgroup = await parse(encode(toCgroup.join('\n')));
    expect(socket.modes).toEqual(['socket']);
    expect(socket.scopes).toEqual(['S0', 'S1']);
    expect(cgroup.modes).toEqual(['cgroup']);
    expect(cgroup.scopes).toEqual(['cg0', 'cg1']);
    expect(cgroup.problems).toEqual([]);
  });

  it('empty cells (NaN) and infinities are null; infinities are counted', async () => {
    const sys3 = text('sys_metrics.csv').split('\n');
    // Go writes NaN as nothing and infinity as "+Inf"; pandas writes NaN as nothing and infinity as "inf".
    sys3[1] = sys3[1]!.replace(/,[^,]+$/, ',');
    sys3[2] = sys3[2]!.replace(/,[^,]+$/, ',+Inf');
    const sys1 = text('metric_out.sys.csv').split('\n');
    sys1[1] = sys1[1]!.replace(/,[^,]+$/, ',inf');
    const r3 = await parse(encode(sys3.join('\n')));
    const r1 = await parse(encode(sys1.join('\n')));
    expect(r3.problems).toEqual([]);
    expect(r3.rows[3]!.value).toBeNull();
    expect(r3.rows[7]!.value).toBeNull();
    expect(r3.infiniteCells).toBe(1);
    expect(r1.rows[3]!.value).toBeNull();
    expect(r1.infiniteCells).toBe(1);
  });

  it('1.x: bad lines are reported by number with the reason, the rest kept', async () => {
    const bad = insertLines(series('metric_out.sys.csv'), [
      [3, 'Traceback (most recent call last):'],
      [5, '0.5,1.0,2.0,abc,4.0'],
      [7, 'x.5,1.0,2.0,3.0,4.0'],
      [9, '0.3,1.0,2.0,3.0,4.0'],
    ]);
    const r = await parse(bad);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [3, '1 fields where the header has 5'],
      [5, 'value of "cpu-migrations per sec" is not a number: "abc"'],
      [7, 'time is not a number of seconds: "x.5"'],
      [9, expect.stringMatching(/^time goes back/)],
    ]);
    expect(r.rows).toEqual((await parse(series('metric_out.sys.csv'))).rows);
  });

  it('3.x: bad lines are reported by number with the reason, the rest kept', async () => {
    const lines = text('cpu_metrics.csv').split('\n');
    const bad = insertLines(series('cpu_metrics.csv'), [
      [2, lines[1]!.replace(/^(\d+)/, '$1.5')],
      [4, lines[1]!.replace(',,0,,', ',,x,,')],
      [6, lines[1]!.replace(/,[^,]+$/, '')],
      [8, lines[0]!],
      [10, lines[0]!.replace('task-clock', 'cycles')],
    ]);
    const r = await parse(bad);
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, 'TS is not whole unix seconds: "1795331469.5"'],
      [4, 'CPU is not a CPU number: "x"'],
      [6, '7 fields where the header has 8'],
      // line 8, the header again, is passed over: 3.x appends to an existing file
      [10, "a second header with other columns than line 1's"],
    ]);
    expect(r.rows).toEqual((await parse(series('cpu_metrics.csv'))).rows);
  });

  it('a file without the header gets one problem per line saying which headers were expected', async () => {
    const r = await parse(encode(text('sys_metrics.csv').split('\n').slice(1).join('\n')));
    expect(r.layout).toBeNull();
    expect(r.table.numRows).toBe(0);
    expect(r.problems).toHaveLength(6);
    expect(r.problems[0]).toMatchObject({ line: 1, reason: expect.stringMatching(/"time,metric_…" \(1\.x metric_out\*\.csv\) or "TS,SKT,CPU,CID,…"/) });
  });
});

describe('PerfSpect time series through importCapture (recognised by content)', () => {
  for (const f of FILES) {
    it(`${f.name} is perfspect-series`, async () => {
      const { bundle, report } = await importCapture(f.name, series(f.name), { chunkBytes: 100 });
      expect(report.format).toBe('perfspect-series');
      expect(report.rows).toBe((await f.expected()).length);
      const perf = bundle.manifest.sources.perf!;
      const settings = perf.settings as Record<string, unknown>;
      expect(settings.mapping).toMatch(/event = metric name without "metric_"/);
      expect(settings.mode).toEqual(f.modes);
      expect(settings.metrics).toBe(4);
      const mode = f.modes[0] === 'cpu' ? 'per CPU' : 'system-wide';
      if (f.layout === '1.x') {
        expect(settings.format).toBe('PerfSpect 1.x time-series CSV');
        expect(perf.notes![0]).toBe(`PerfSpect 1.x metric time series (metric_out*.csv), ${mode}: one row per metric and perf stat interval.`);
        expect(bundle.manifest.clock).toEqual({ domain: 'unknown', unit: 'ns', originUnixNs: null });
      } else {
        expect(settings.format).toBe('PerfSpect 3.x metrics CSV');
        expect(perf.notes![0]).toBe(`PerfSpect 3.x metrics CSV (<target>_metrics.csv), ${mode}: one row per metric, scope and whole unix second.`);
        expect(perf.notes!.join(' ')).toMatch(/share its ts_ns/);
        expect(bundle.manifest.clock).toEqual({ domain: 'realtime', unit: 'ns', originUnixNs: `${STARTED_ON}000000000` });
      }
    });
  }

  it('the PerfSpect summaries in fixtures/perfspect/ are still perfspect-summary', async () => {
    const dir = new URL('fixtures/perfspect/', root);
    const names = readdirSync(dir);
    expect(names.length).toBe(6);
    for (const name of names) {
      const { report } = await importCapture(name, new Uint8Array(readFileSync(new URL(name, dir))));
      expect(report.format).toBe('perfspect-summary');
    }
  });
});
