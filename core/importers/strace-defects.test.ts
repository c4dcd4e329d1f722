import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { StraceParser } from './strace.ts';
import { importStraceFiles } from './strace-files.ts';
import { feed, rowsOf } from './testing/parse-helpers.ts';

const dir = new URL('../../fixtures/strace/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

async function parse(data: Uint8Array) {
  const p = new StraceParser();
  await feed(p, data);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

describe('strace: "= ? <unavailable>" (the task was killed while strace read the call\'s exit)', () => {
  it('a whole call line ending "= ? <unavailable>" is a row with no result and no duration', async () => {
    const r = await parse(bytes('strace-f-tt-T-killed-unavailable.log'));
    expect(r.problems).toEqual([]);
    // wc -l 1873, grep -c 'resumed>' 231: each resumed half joins its entry row.
    expect(r.table.numRows).toBe(1873 - 231);
    // Line 1866: 7584 17:28:55.007027 getpid() = ? <unavailable>
    const last = r.rows.filter((x) => x.tid === 7584 && x.name === 'getpid').at(-1)!;
    expect(last).toMatchObject({ ret: null, duration_ns: null, errno: null });
  });

  it('a resumed half ending "= ? <unavailable>" completes its entry row', async () => {
    const r = await parse(bytes('strace-f-tt-T-killed-unavailable-resumed.log'));
    expect(r.problems).toEqual([]);
    expect(r.table.numRows).toBe(1594 - 145);
    // Lines 1585/1587: 7045 futex(... <unfinished ...> at 17:28:43.033982, <... futex resumed>) = ? <unavailable>
    const futex = r.rows.filter((x) => x.tid === 7045 && x.name === 'futex').at(-1)!;
    expect(futex).toMatchObject({ ret: null, duration_ns: null });
    expect(r.unfinished).toBe(0);
  });
});

describe('strace: execve by a non-leader thread (<pid changed to N ...>, +++ superseded by execve +++)', () => {
  it('-ff: the result printed in the leader\'s file goes to the calling thread\'s row, and no extra row appears', async () => {
    const sub = new URL('ff-exec-thread/', dir);
    const names = readdirSync(sub).sort();
    const { bundle, report } = await importStraceFiles(names.map((name) => ({ name, source: new Uint8Array(readFileSync(new URL(name, sub))) })));
    expect(report.problemCount).toBe(0);
    const t = bundle.tables.syscalls!;
    // wc -l: 458 + 12, minus the superseded line and the resumed half (trace.4924 lines 427-428), which are not rows.
    expect(t.numRows).toBe(458 + 12 - 2);
    const rows = rowsOf(t);
    const execs = rows.filter((x) => x.name === 'execve');
    expect(execs).toHaveLength(2);
    // trace.4925 line 12: 17:26:22.305769 execve("/bin/true", ...) <pid changed to 4924 ...>; trace.4924 line 428:
    // <... execve resumed>) = 0 <0.002264>. 4925 is a thread of 4924 (clone3 CLONE_THREAD in trace.4924).
    expect(execs[1]).toMatchObject({ tid: 4925, pid: 4924, ret: 0, duration_ns: 2_264_000, ts_ns: 73_744_000 });
    expect(report.notes.join(' ')).not.toMatch(/never returned/);
  });

  it('-f: the leader\'s "<... execve resumed>" completes the thread\'s "<unfinished ...>" row', async () => {
    const r = await parse(bytes('strace-f-tt-T-exec-thread.log'));
    expect(r.problems).toEqual([]);
    const execs = r.rows.filter((x) => x.name === 'execve');
    // Line 437: 6439 execve("/bin/true", ... <unfinished ...>; line 440: 6438 <... execve resumed>) = 0 <0.002548>
    expect(execs).toHaveLength(2);
    expect(execs[1]).toMatchObject({ tid: 6439, pid: 6438, ret: 0, duration_ns: 2_548_000 });
  });
});

describe('strace: impossible times of day', () => {
  it('74:55:35 and 04:99:99 are bad lines with their numbers; the other times are not shifted by a day', async () => {
    const good = await parse(bytes('strace-f-tt-T-exec-thread.log'));
    const bad = await parse(bytes('strace-f-tt-T-damaged-times.log'));
    expect(bad.problemCount).toBe(2);
    expect(bad.problems.map((p) => p.line)).toEqual([100, 200]);
    expect(bad.problems[0]!.reason).toMatch(/impossible time of day/);
    expect(bad.impossibleTimes).toBe(2);
    expect(bad.midnightRollovers).toBe(0);
    expect(bad.table.numRows).toBe(good.table.numRows - 2);
    // The trace spans 0.06 s (17:27:45.773429 to .837...), damaged or not.
    const span = (t: typeof bad.table) => Math.max(...numberColumn(t, 'ts_ns'));
    expect(span(bad.table)).toBe(span(good.table));
    expect(span(bad.table)).toBeLessThan(1e9);
  });

  it('a real midnight (23:59:59 -> 00:00:01 under faketime) is still one rollover', async () => {
    const r = await parse(bytes('strace-f-tt-T-faketime-midnight.log'));
    expect(r.midnightRollovers).toBe(1);
    expect(r.problemCount).toBe(0);
    const name = dictColumn(r.table, 'name');
    expect(name.values.length).toBeGreaterThan(0);
    expect(Math.max(...numberColumn(r.table, 'ts_ns'))).toBeLessThan(5e9);
  });
});

describe('strace: numbers too large for a double (a damaged digit run)', () => {
  // Lines of a real capture whose return value, duration or exit status became hundreds of digits. The table
  // builder threw a TypeError on the infinite value that came out: no typed refusal, no bundle.
  const lines = new TextDecoder().decode(bytes('strace-f-ttt-T-pipeline-threads.log')).split('\n');
  const nines = '9'.repeat(400);

  it('are bad lines with their line numbers, and every other row is kept', async () => {
    const damaged = [...lines];
    // Line 2: 7090  1795331362.712736 brk(NULL)       = 0x5561520dd000 <0.000012>
    damaged[1] = damaged[1]!.replace('= 0x5561520dd000', `= ${nines}`);
    // Line 3: ... mmap(...) = 0x7f8f92671000 <0.000016>
    damaged[2] = damaged[2]!.replace('<0.000016>', `<${nines}.5>`);
    const exit = damaged.findIndex((l) => l.includes('+++ exited with 0 +++'));
    damaged[exit] = damaged[exit]!.replace('exited with 0', `exited with ${nines}`);
    const plain = await parse(bytes('strace-f-ttt-T-pipeline-threads.log'));
    const r = await parse(new TextEncoder().encode(damaged.join('\n')));
    expect(r.problems.map((p) => [p.line, p.reason])).toEqual([
      [2, 'return value too large for a number: the line is damaged'],
      [3, 'duration too large for a number: the line is damaged'],
      [exit + 1, 'exit status too large for a number: the line is damaged'],
    ]);
    expect(r.table.numRows).toBe(plain.table.numRows - 3);
  });
});
