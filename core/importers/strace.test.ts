import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StraceParser, type StraceOptions } from './strace.ts';
import { countBy, feed, insertLines, rowsOf } from './testing/parse-helpers.ts';

const dir = new URL('../../fixtures/strace/', import.meta.url);
const bytes = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

async function parse(data: Uint8Array, options?: StraceOptions, chunkBytes?: number) {
  const p = new StraceParser(options);
  await feed(p, data, chunkBytes);
  const r = p.finish();
  return { ...r, rows: rowsOf(r.table) };
}

describe('strace -f -ttt -T (sh pipeline, yes|head SIGPIPE, sysbench threads)', () => {
  const file = 'strace-f-ttt-T-pipeline-threads.log';

  it('has one row per call, signal and exit', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    expect(r.lines).toBe(1824);
    // 1824 lines - 630 "resumed>" lines (grep -c at capture time): each resumed half joins its entry row.
    expect(r.table.numRows).toBe(1194);
    expect(r.timestampStyle).toBe('ttt');
    expect(r.hasDurations).toBe(true);
    expect(r.unfinished).toBe(0);
    expect(r.firstTimestamp).toEqual({ sec: 1795331362, nsec: 712405000 });
    // Per-name counts: grep -v 'resumed>' | awk '{print $3}' | sed 's/(.*//' | sort | uniq -c
    const names = countBy(r.rows.filter((x) => x.kind === 'syscall'), 'name');
    expect(names).toMatchObject({ mmap: 263, openat: 194, newfstatat: 178, close: 153, read: 54, mprotect: 54, write: 38 });
    expect(countBy(r.rows, 'kind')).toEqual({ syscall: 1179, signal: 6, exit: 8, killed: 1 });
  });

  it('joins <unfinished ...> with its <... resumed> half at the entry time', async () => {
    const r = await parse(bytes(file));
    // Lines 93/95: clone(... <unfinished ...> at .716318, <... clone resumed> ... = 7092 <0.000103>
    const clone = r.rows.find((x) => x.name === 'clone' && x.ret === 7092)!;
    expect(clone).toMatchObject({ ts_ns: 3_913_000, pid: 7090, tid: 7090, duration_ns: 103_000, errno: null });
    // Lines 1416/1419: vfork( <unfinished ...> at .739701, resumed = 7096 <0.000228>
    expect(r.rows.find((x) => x.name === 'vfork')).toMatchObject({ ts_ns: 27_296_000, ret: 7096, duration_ns: 228_000 });
    // Every call but exit_group and the threads' exit (they never return: "= ?") has its -T time, resumed ones included.
    const noDuration = r.rows.filter((x) => x.kind === 'syscall' && x.duration_ns === null);
    expect(new Set(noDuration.map((x) => x.name))).toEqual(new Set(['exit_group', 'exit']));
    expect(noDuration).toHaveLength(8); // grep -c ' = ?$'
    expect(r.rows.filter((x) => x.errno === 'ENOENT').every((x) => x.ret === -1)).toBe(true);
  });

  it('maps threads to their thread group and records exits and the SIGPIPE kill', async () => {
    const r = await parse(bytes(file));
    // clone3 with CLONE_THREAD in 7096 (sysbench) returned 7097 and 7098; every other task is a process.
    const groups = new Map(r.rows.map((x) => [x.tid, x.pid]));
    expect(Object.fromEntries(groups)).toEqual({ 7090: 7090, 7091: 7091, 7092: 7092, 7093: 7093, 7094: 7094, 7095: 7095, 7096: 7096, 7097: 7096, 7098: 7096 });
    expect(r.rows.filter((x) => x.kind === 'killed')).toEqual([
      expect.objectContaining({ tid: 7094, name: 'SIGPIPE', ret: null, ts_ns: 738_703_000 - 712_405_000 }),
    ]);
    const exits = r.rows.filter((x) => x.kind === 'exit');
    expect(exits.map((x) => x.tid).sort()).toEqual([7090, 7091, 7092, 7093, 7095, 7096, 7097, 7098]);
    expect(exits.every((x) => x.ret === 0 && x.name === 'exit')).toBe(true);
    expect(countBy(r.rows.filter((x) => x.kind === 'signal'), 'name')).toEqual({ SIGCHLD: 5, SIGPIPE: 1 });
  });

  it('subtracts a given epoch origin exactly', async () => {
    const r = await parse(bytes(file), { origin: { sec: 1795331362, nsec: 700000000 } });
    expect(r.rows[0]!.ts_ns).toBe(12_405_000);
    expect(r.firstTimestamp).toEqual({ sec: 1795331362, nsec: 712405000 });
  });

  it('gives the same table whether read whole or in 7-byte chunks', async () => {
    const whole = await parse(bytes(file));
    const tiny = await parse(bytes(file), undefined, 7);
    expect(tiny.rows).toEqual(whole.rows);
  });

  it('reports inserted garbage lines by number and parses the rest', async () => {
    const damaged = insertLines(bytes(file), [
      [10, 'Segmentation fault (core dumped)'],
      [500, '7091  1795331362.7155'],
      [1500, '\u0000\u0000\u0000\u0000garbage'],
    ]);
    const r = await parse(damaged);
    expect(r.problemCount).toBe(3);
    expect(r.problems.map((p) => p.line)).toEqual([10, 500, 1500]);
    expect(r.problems[0]!.reason).toMatch(/not a strace line/);
    expect(r.table.numRows).toBe(1194);
  });

  it('keeps argument text only when asked, entry and resumed halves joined', async () => {
    expect((await parse(bytes(file))).rows.every((x) => x.args === null)).toBe(true);
    const r = await parse(bytes(file), { keepArgs: true });
    expect(r.rows.find((x) => x.name === 'clone' && x.ret === 7092)!.args).toBe(
      'child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f8f92482a10',
    );
  });
});

describe('strace -f without timestamps (cargo run, public capture)', () => {
  it('parses every line, all 11 CLONE_THREAD threads into one thread group', async () => {
    const r = await parse(bytes('strace-f-cargo-run.log'));
    expect(r.problems).toEqual([]);
    expect(r.timestampStyle).toBe('none');
    expect(r.firstTimestamp).toBeNull();
    // 2105 lines - 224 resumed halves (grep -c)
    expect(r.table.numRows).toBe(1881);
    expect(r.unfinished).toBe(0);
    // grep -v 'resumed>' | awk '{print $1}' | sort | uniq -c: 12 thread ids; the clone calls (grep clone) all carry CLONE_THREAD.
    expect(countBy(r.rows, 'tid')).toMatchObject({ 909190: 1691, 909192: 24, 909202: 15 });
    expect(Object.keys(countBy(r.rows, 'tid'))).toHaveLength(12);
    expect(Object.keys(countBy(r.rows, 'pid'))).toEqual(['909190']);
    expect(r.rows.every((x) => x.ts_ns === 0)).toBe(true);
    expect(r.rows[2]).toMatchObject({ name: 'arch_prctl', ret: -1, errno: 'EINVAL' });
  });
});

describe('strace -f -r to the terminal ([pid N] prefixes, messages inside lines)', () => {
  const file = 'strace-f-r-stderr.log';

  it('rejoins lines that "strace: Process N attached" broke and sums -r deltas', async () => {
    const r = await parse(bytes(file));
    expect(r.problems).toEqual([]);
    expect(r.timestampStyle).toBe('r');
    expect(r.firstTimestamp).toEqual({ sec: 0, nsec: 0 });
    // 1077 lines - 292 resumed - 1 "strace: Process 7272 attached" line - 4 continuations of broken lines
    expect(r.table.numRows).toBe(780);
    expect(r.unfinished).toBe(0);
    // Sum of all -r deltas, awk '{ s += the timestamp column } END { printf "%.6f", s }' = 0.032192
    expect(r.rows.at(-1)).toMatchObject({ kind: 'exit', tid: 7270, ts_ns: 32_192_000 });
    // Line 59-60: "clone(...SIGCHLDstrace: Process 7271 attached" + ", child_tidptr=...) = 7271"
    expect(r.rows.find((x) => x.name === 'clone')).toMatchObject({ tid: 7270, ret: 7271 });
    expect(r.rows.find((x) => x.name === 'vfork')).toMatchObject({ tid: 7270, ret: 7273 });
  });

  it('attributes unprefixed lines to the one traced task and threads to their group', async () => {
    const r = await parse(bytes(file));
    expect(Object.fromEntries(new Map(r.rows.map((x) => [x.tid, x.pid])))).toEqual({
      7270: 7270, 7271: 7271, 7272: 7272, 7273: 7273, 7274: 7273, 7275: 7273,
    });
    // Line 599, unprefixed: "<... wait4 resumed>... = 7272" after 7272 exited, while 7270 was alone.
    expect(r.rows.filter((x) => x.name === 'wait4' && x.ret === 7272)).toEqual([expect.objectContaining({ tid: 7270 })]);
  });
});

describe('strace -t (no -f, no -T)', () => {
  it('reads whole-second times of day and takes the thread id from defaultPid', async () => {
    const r = await parse(bytes('strace-t-ls.log'), { defaultPid: 4242 });
    expect(r.problems).toEqual([]);
    expect(r.timestampStyle).toBe('t');
    expect(r.hasDurations).toBe(false);
    // 07:09:58 is the only time in the file (cut -c1-8 | sort -u)
    expect(r.firstTimestamp).toEqual({ sec: 7 * 3600 + 9 * 60 + 58, nsec: 0 });
    expect(r.table.numRows).toBe(723);
    expect(r.rows.every((x) => x.ts_ns === 0 && x.pid === 4242 && x.tid === 4242 && x.duration_ns === null)).toBe(true);
    expect(countBy(r.rows, 'name')).toMatchObject({ getxattr: 219, statx: 145, lgetxattr: 145, openat: 47 });
  });
});

describe('strace -f -tt -T across midnight (faketime)', () => {
  it('adds a day when the time of day wraps', async () => {
    const r = await parse(bytes('strace-f-tt-T-faketime-midnight.log'));
    expect(r.problems).toEqual([]);
    expect(r.timestampStyle).toBe('tt');
    expect(r.firstTimestamp).toEqual({ sec: 86399, nsec: 581217000 });
    // 417 lines - 6 resumed
    expect(r.table.numRows).toBe(411);
    const sleep = r.rows.findIndex((x) => x.name === 'clock_nanosleep');
    // 23:59:59.591186 clock_nanosleep(...) = 0 <1.500149>, then 00:00:01.091415 close(1)
    expect(r.rows[sleep]).toMatchObject({ tid: 7294, ts_ns: 9_969_000, duration_ns: 1_500_149_000 });
    expect(r.rows[sleep + 1]).toMatchObject({ tid: 7294, name: 'close', ts_ns: 86_401_091_415_000 - 86_399_581_217_000 });
    const ts = r.rows.map((x) => x.ts_ns as number);
    expect(Math.max(...ts)).toBeLessThan(3e9);
  });
});

describe('strace -ff -tt -T (one file per task)', () => {
  it('gives each file its task id and shares clone knowledge across files', async () => {
    const files = readdirSync(new URL('ff-tt-T/', dir)).sort();
    expect(files).toEqual(['trace.7125', 'trace.7126', 'trace.7127', 'trace.7128', 'trace.7129', 'trace.7130']);
    const threadParents = new Map<number, number>();
    const parsers = files.map((f) => {
      const p = new StraceParser({ defaultPid: Number(f.split('.')[1]), threadParents });
      for (const line of readFileSync(new URL(`ff-tt-T/${f}`, dir), 'utf8').split('\n')) p.pushLine(line);
      return p;
    });
    const results = parsers.map((p) => p.finish());
    expect(results.every((r) => r.problemCount === 0 && r.timestampStyle === 'tt' && r.hasDurations)).toBe(true);
    // wc -l per file (no file has resumed halves: each holds one task)
    expect(results.map((r) => r.table.numRows)).toEqual([105, 150, 122, 356, 20, 20]);
    const pids = results.map((r) => new Set(rowsOf(r.table).map((x) => `${x.tid}:${x.pid}`)));
    // 7128 (sysbench) made threads 7129 and 7130 with clone3(CLONE_THREAD); 7126 and 7127 are forked processes.
    expect(pids.map((s) => [...s])).toEqual([['7125:7125'], ['7126:7126'], ['7127:7127'], ['7128:7128'], ['7129:7128'], ['7130:7128']]);
  });
});

describe('strace -f -ttt -T of a thread that is still sleeping when its process exits', () => {
  it('keeps the call with no return value and counts it as unfinished', async () => {
    const r = await parse(bytes('strace-f-ttt-T-thread-vanishes.log'));
    expect(r.problems).toEqual([]);
    // 424 lines - 7 resumed (wc -l, grep -c)
    expect(r.table.numRows).toBe(417);
    expect(r.unfinished).toBe(1);
    // 417: "21251 ....511882 clock_nanosleep(... <unfinished ...>", 422: "21251 <... clock_nanosleep resumed> <unfinished ...>) = ?"
    const sleeps = r.rows.filter((x) => x.name === 'clock_nanosleep');
    expect(sleeps).toEqual([
      expect.objectContaining({ tid: 21251, pid: 21250, ts_ns: 511_882_000 - 479_096_000, ret: null, duration_ns: null }),
      expect.objectContaining({ tid: 21250, pid: 21250, ret: 0, duration_ns: 200_046_000 }),
    ]);
  });
});

describe('strace -f -ttt -T of timeouts, interrupted calls, stop/continue and a SIGTERM kill', () => {
  it('reads "(Timeout)", ERESTART* with "?" results, restart_syscall and the kill', async () => {
    const r = await parse(bytes('strace-f-ttt-T-signals.log'));
    expect(r.problems).toEqual([]);
    // 1113 lines - 19 resumed - 1 "--- stopped by SIGSTOP ---" (grep -c)
    expect(r.table.numRows).toBe(1093);
    expect(r.unfinished).toBe(0);
    expect(countBy(r.rows, 'kind')).toEqual({ syscall: 1082, signal: 8, exit: 2, killed: 1 });
    // 675: pselect6(0, NULL, NULL, NULL, {tv_sec=0, tv_nsec=50000000}, NULL) = 0 (Timeout) <0.050146>
    expect(r.rows.find((x) => x.name === 'pselect6')).toMatchObject({ ts_ns: 448_306_000 - 398_260_000, ret: 0, errno: null, duration_ns: 50_146_000 });
    // 679: read(3, 0x7f468ff9f020, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set) <0.050044>
    expect(r.rows.filter((x) => x.errno === 'ERESTARTSYS')).toEqual([expect.objectContaining({ name: 'read', ret: null, duration_ns: 50_044_000 })]);
    // grep -o '= ? [A-Z_]*' | sort | uniq -c
    expect(countBy(r.rows.filter((x) => x.errno !== null && x.ret === null), 'errno')).toEqual({ ERESTARTSYS: 1, ERESTARTNOHAND: 1, ERESTART_RESTARTBLOCK: 2 });
    // 894: restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0 <0.203104>
    expect(r.rows.find((x) => x.name === 'restart_syscall')).toMatchObject({ tid: 29184, ret: 0, duration_ns: 203_104_000 });
    expect(r.rows.filter((x) => x.kind === 'killed')).toEqual([expect.objectContaining({ tid: 29185, pid: 29185, name: 'SIGTERM' })]);
    expect(countBy(r.rows.filter((x) => x.kind === 'signal'), 'name')).toEqual({ SIGALRM: 1, SIGSTOP: 1, SIGCHLD: 4, SIGCONT: 1, SIGTERM: 1 });
  });
});
