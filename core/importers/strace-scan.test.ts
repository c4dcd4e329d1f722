import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLineSplitter } from './byte-lines.ts';
import { LineSplitter } from './lines.ts';
import { StraceParser } from './strace.ts';
import { CallScan, Clock, LineKind, scanLine } from './strace-scan.ts';
import { rowsOf } from './testing/parse-helpers.ts';

/** The two ways into StraceParser must give the same result: strings (pushLine) and bytes (pushLineBytes). */
function bothWays(bytes: Uint8Array, chunk = 1 << 16) {
  const slow = new StraceParser();
  const text = new LineSplitter();
  const fast = new StraceParser();
  const split = new ByteLineSplitter({ line: (b, s, e) => fast.pushLineBytes(b, s, e), overlong: () => expect.unreachable() });
  for (let off = 0; off < bytes.length; off += chunk) {
    const part = bytes.subarray(off, off + chunk);
    for (const l of text.push(part)) slow.pushLine(l);
    split.push(part);
  }
  for (const l of text.end()) slow.pushLine(l);
  split.end();
  const plain = (r: ReturnType<StraceParser['finish']>) => {
    const { table, ...rest } = r;
    // The dictionaries' order too: the tables must be the same, not just read the same.
    const dicts = ['kind', 'name', 'errno'].map((c) => table.getChild(c)!.data[0]!.dictionary!.toArray());
    return { rows: rowsOf(table), dicts, ...rest };
  };
  return { slow: plain(slow.finish()), fast: plain(fast.finish()) };
}

const enc = (s: string) => new TextEncoder().encode(s);

function scan(line: string, want = LineKind.Call): CallScan | null {
  const b = enc(line);
  const out = new CallScan();
  const kind = scanLine(b, 0, b.length, out);
  return kind === LineKind.Other ? null : (expect(kind).toBe(want), out);
}

describe('scanLine', () => {
  it('reads a completed call line: thread, time, name, result, errno, duration', () => {
    const s = scan('7090  1795331362.712885 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory) <0.000014>')!;
    expect(s).not.toBeNull();
    expect([s.tid, s.clock, s.sec, s.nsec, s.ret, s.durationNs]).toEqual([7090, Clock.Seconds, 1795331362, 712885000, -1, 14000]);
    const h = scan('[pid  7091] 23:59:59.999999 mmap(NULL, 8192) = 0x7f8f92671000 <0.000016>')!;
    expect([h.tid, h.clock, h.sec, h.nsec, h.ret, h.errnoStart]).toEqual([7091, Clock.TimeOfDay, 86399, 999999000, 0x7f8f92671000, -1]);
    const q = scan('12:00:01 nanosleep({tv_sec=1, tv_nsec=0}, NULL) = ? <unavailable>')!;
    expect([q.tid, q.sec, q.hasFraction, q.ret, q.durationNs]).toEqual([-1, 43201, false, Number.NaN, Number.NaN]);
    expect(scan('poll([{fd=3, events=POLLIN}], 1, 100) = 0 (Timeout (really)) <0.100105>')!.durationNs).toBe(100105000);
  });

  it('reads the halves of an interrupted call', () => {
    const u = scan('[pid  7091] 1795331362.712405 read(3,  <unfinished ...>', LineKind.Unfinished)!;
    expect([u.tid, u.nameStart, u.nameEnd]).toEqual([7091, 30, 34]);
    const r = scan('7091  1795331362.712999 <... read resumed>"x", 1) = 1 <0.000594>', LineKind.Resumed)!;
    expect([r.tid, r.nameStart, r.nameEnd, r.ret, r.durationNs]).toEqual([7091, 29, 33, 1, 594000]);
  });

  it('leaves every other line to the string way', () => {
    for (const line of [
      '7090  1795331362.712405 read(3, "\r" <unfinished ...>',
      '7090  1795331362.712405 <... read resumed>"x", 1 = 1 <0.1>',
      '7090  1795331362.712405 <... read resumed> <unfinished ...>) = ?',
      '7090  1795331362.712405 read(3, <unfinished ...>) = ?',
      '7090  1795331362.712405 read(3, <detached ...>',
      '7090  1795331362.712405 --- SIGCHLD {si_signo=SIGCHLD} ---',
      '7090  1795331362.712405 +++ exited with 0 +++',
      '7090  1795331362.712405 write(1, "strace: Process 5 attached\\n", 27) = 27',
      'read(3, "a\rb", 3) = 3',
      'read(3, "\u2028", 3) = 3',
      '74:55:35.327518 read(3, "", 1) = 0',
      '1.5 read(3, "", 1) = ? x',
      'read(3, "", 1) = 0x',
      'read(3, "", 1) = 0xffffffffffffffff',
      'read(3, "" = 1',
      '[ Process PID=5 runs in x32 mode. ]',
      'strace: Process 7091 attached',
      '123456789012345678 read(3, "", 1) = 0',
    ]) {
      expect(scan(line), line).toBeNull();
    }
  });
});

describe('StraceParser: bytes and strings give the same table', () => {
  const dirs = [new URL('../../fixtures/strace/', import.meta.url), new URL('../../fixtures/strace/ff-tt-T/', import.meta.url), new URL('../../fixtures/strace/ff-exec-thread/', import.meta.url)];
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => /\.log|\.\d+$/.test(f)).map((f) => new URL(f, d)));

  it.each(files.map((f) => [f.pathname.split('/fixtures/')[1]!, f] as const))('%s', (_, file) => {
    const { slow, fast } = bothWays(new Uint8Array(readFileSync(file)));
    expect(slow.rows.length).toBeGreaterThan(0);
    expect(fast).toEqual(slow);
  });

  // Lines of a real capture with bytes put in, replaced or cut where the grammar is decided.
  const lines = new TextDecoder().decode(readFileSync(new URL('../../fixtures/strace/strace-f-tt-T-killed-unavailable-resumed.log', import.meta.url))).split('\n');
  const tricky = fc.constantFrom(...' =()<>?-x0123456789.:\t\r[]EABsp_\u2028\u00a0\ufeff…'.split(''), ' = ', ' <0.1>', ' <unavailable>', '<unfinished ...>', ') = ', ' (x)', 'strace: Process 9 attached');
  const edit = fc.record({ line: fc.nat(lines.length - 1), at: fc.nat(200), cut: fc.nat(3), text: tricky });

  it('for damaged lines too (fast-check, 3000 files of 20 lines)', () => {
    fc.assert(
      fc.property(fc.nat(lines.length - 20), fc.array(edit, { maxLength: 8 }), (from, edits) => {
        const part = lines.slice(from, from + 20);
        for (const e of edits) {
          const i = e.line % part.length;
          const l = part[i]!;
          const at = Math.min(e.at, l.length);
          part[i] = l.slice(0, at) + e.text + l.slice(at + e.cut);
        }
        const { slow, fast } = bothWays(enc(part.join('\n') + '\n'), 97);
        expect(fast).toEqual(slow);
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });
});
