import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCapture } from './capture-to-bundle.ts';
import { FtraceParser } from './ftrace.ts';
import { NoSystraceDataError, SystraceParser } from './systrace.ts';
import { countBy, feed, rowsOf } from './testing/parse-helpers.ts';

const bytes = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/systrace/${name}`, import.meta.url)));

async function parse(data: Uint8Array, chunkBytes?: number) {
  const p = new SystraceParser();
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

/** The ftrace text between the markers, parsed as plain ftrace text: what the systrace reader must equal. */
async function innerTextRows(data: Uint8Array, from: RegExp, to: RegExp) {
  const lines = new TextDecoder().decode(data).split('\n');
  const start = lines.findIndex((l) => from.test(l)) + 1;
  const end = lines.findIndex((l, i) => i >= start && to.test(l));
  const p = new FtraceParser();
  for (const l of lines.slice(start, end)) p.pushLine(l.replace(/\\n\\$/, ''));
  return rowsOf(p.finish().table);
}

// Expected counts: grep -c ' sched_switch: ' and ' sched_wakeup: ' on each file.

describe('systrace HTML, catapult trace-data block (LISA tests/trace_systrace.html)', () => {
  const file = 'trace_systrace.html';

  it('reads the 4 switches and 4 wakeups of the block, TGID column and all, and skips the atrace markers', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    expect(r.wrapping).toBe('trace-data');
    expect(r.textBlocks).toBe(1);
    expect(countBy(r.rows, 'event')).toEqual({ sched_switch: 4, sched_wakeup: 4 });
    expect(r.skippedEvents).toEqual({ tracing_mark_write: 2 });
    // atrace-15227 (15227) [000] d..3 514769.086283: sched_switch: prev_comm=atrace prev_pid=15227 prev_prio=120 prev_state=S ==> next_comm=Binder_4 next_pid=280 next_prio=120
    expect(r.rows.find((x) => x.common_pid === 15227)).toMatchObject({
      ts_ns: 514769086283000 - 514769086090000, cpu: 0, event: 'sched_switch', prev_comm: 'atrace', prev_pid: 15227, prev_state: 'S', next_comm: 'Binder_4', next_pid: 280,
    });
    // "state=W|m" after target_cpu is a field the kernel added later; the target is still read.
    expect(r.rows.filter((x) => x.event === 'sched_wakeup').map((x) => [x.target_pid, x.target_cpu])).toEqual([[679, 1], [1158, 2], [1158, 2], [238, 3]]);
  });

  it('equals the ftrace reader on the text between the script tags, in any chunk size', async () => {
    const data = bytes(file);
    const inner = await innerTextRows(data, /class="trace-data"/, /<\/script>/);
    expect((await parse(data)).rows).toEqual(inner);
    expect((await parse(data, 5)).rows).toEqual(inner);
  });
});

describe('systrace HTML, legacy linuxPerfData string (LISA tests/trace_legacy_systrace.html)', () => {
  const file = 'trace_legacy_systrace.html';

  it('reads the 3 switches and 2 wakeups and counts the PELT events it does not hold', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    expect(r.wrapping).toBe('linuxPerfData');
    expect(countBy(r.rows, 'event')).toEqual({ sched_switch: 3, sched_wakeup: 2 });
    expect(r.skippedEvents).toEqual({ sched_contrib_scale_f: 2, sched_load_avg_task: 3, sched_load_avg_cpu: 5 });
    // <...>-10144 [007] d..3  7480.992816: sched_switch: prev_comm=sh prev_pid=10144 prev_prio=120 prev_state=R+ ==> next_comm=kworker/7:0 ...
    expect(r.rows[1]).toMatchObject({ ts_ns: 29000, cpu: 7, prev_comm: 'sh', prev_state: 'R+', next_comm: 'kworker/7:0', next_pid: 9996 });
    expect(r.rows).toEqual(await innerTextRows(bytes(file), /var linuxPerfData/, /<\/script>/));
  });

  it('takes lines that still carry the JS string\'s "\\n\\" continuation', async () => {
    const text = new TextDecoder().decode(bytes(file)).replace(/(: sched_[a-z_]+: .*)$/gm, '$1\\n\\');
    const r = await parse(new TextEncoder().encode(text));
    expect(r.problems).toEqual([]);
    expect(r.rows).toEqual((await parse(bytes(file))).rows);
  });
});

describe('systrace HTML, a whole catapult export with its viewer (LISA tests/trace_surfaceflinger.html)', () => {
  const file = 'trace_surfaceflinger.html';

  it('reads the ftrace block past 587 lines of viewer HTML and skips the JSON block after it', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    expect([r.textBlocks, r.otherBlocks]).toEqual([1, 1]);
    // grep -o ': [a-z_]*: ' | sort | uniq -c
    expect(countBy(r.rows, 'event')).toEqual({ sched_switch: 715, sched_wakeup: 421 });
    expect(r.skippedEvents).toEqual({ cpu_idle: 621, sugov_set_iowait_boost: 366, tracing_mark_write: 160, cpu_frequency: 104, clock_set_rate: 88, sched_blocked_reason: 31 });
    expect(r.rows).toEqual(await innerTextRows(bytes(file), /class="trace-data"/, /<\/script>/));
  });
});

describe('systrace through importCapture', () => {
  it('is recognised by content and becomes a sched bundle with the markers noted', async () => {
    const { bundle, report } = await importCapture('trace_systrace.html', bytes('trace_systrace.html'));
    expect(report.format).toBe('systrace');
    expect(report.rows).toBe(8);
    expect(bundle.manifest.sources.sched?.settings).toMatchObject({ format: 'systrace HTML', wrapping: 'trace-data' });
    expect(report.notes.join(' ')).toMatch(/tracing_mark_write ×2/);
  });

  it('says what is missing when an HTML page holds no trace', async () => {
    const page = readFileSync(new URL('../../index.html', import.meta.url));
    await expect(importCapture('index.html', new Uint8Array(page))).rejects.toThrow(NoSystraceDataError);
    await expect(importCapture('index.html', new Uint8Array(page))).rejects.toThrow(/no <script class="trace-data"> block and no "var linuxPerfData"/);
  });
});
