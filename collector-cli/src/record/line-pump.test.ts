import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StraceParser } from '../../../core/importers/strace.ts';
import { rowsOf } from '../../../core/importers/testing/parse-helpers.ts';
import { LinePump } from './line-pump.ts';

const dir = mkdtempSync(join(tmpdir(), 'line-pump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real strace capture of a small pipeline with threads' worth of -f output, written by strace here. */
function captureStrace(): Uint8Array {
  const out = join(dir, 'strace.log');
  execFileSync('strace', ['-f', '-ttt', '-T', '-q', '-o', out, 'sh', '-c', 'ls -la /usr/bin | sort | head -n 3; cat /etc/os-release > /dev/null'], { stdio: 'ignore' });
  return new Uint8Array(readFileSync(out));
}

function pumpInChunks(pump: LinePump, bytes: Uint8Array, chunk: number): void {
  for (let off = 0; off < bytes.length; off += chunk) pump.push(bytes.subarray(off, off + chunk));
}

describe('LinePump', () => {
  const capture = captureStrace();
  const lineCount = new TextDecoder().decode(capture).split('\n').filter((_, i, a) => i < a.length - 1 || a[i] !== '').length;

  it('feeds strace bytes to the parser fast path: the same table as decoded lines, whatever the chunk size', () => {
    const byText = new StraceParser();
    const textPump = new LinePump((l) => byText.pushLine(l), null);
    pumpInChunks(textPump, capture, 1 << 16);
    textPump.finish();
    const expected = byText.finish();
    expect(expected.table.numRows).toBeGreaterThan(100);
    for (const chunk of [1, 7, 4096, 1 << 20]) {
      const byBytes = new StraceParser();
      const pump = new LinePump(byBytes, null);
      pumpInChunks(pump, capture, chunk);
      pump.finish();
      expect(pump.lines, `chunk ${chunk}`).toBe(lineCount);
      expect(pump.bytes).toBe(capture.length);
      const got = byBytes.finish();
      expect(rowsOf(got.table), `chunk ${chunk}`).toEqual(rowsOf(expected.table));
      expect(got.problemCount).toBe(expected.problemCount);
      expect(got.lines).toBe(expected.lines);
    }
    // Every line went in as bytes: none was decoded on the way to the parser.
    const counted = new StraceParser();
    let asBytes = 0;
    let asText = 0;
    const pump = new LinePump({ pushLineBytes: (b, s, e) => (asBytes++, counted.pushLineBytes(b, s, e)), pushLine: (l) => (asText++, counted.pushLine(l)) }, null);
    pumpInChunks(pump, capture, 4096);
    pump.finish();
    expect([asBytes, asText]).toEqual([lineCount, 0]);
  });

  it('keeps the raw bytes when asked, and skips an over-long line without holding it', () => {
    const parser = new StraceParser();
    const pump = new LinePump(parser, join(dir, 'strace.raw'));
    const half = capture.indexOf(10, capture.length >> 1) + 1;
    pump.push(capture.subarray(0, half));
    // 5 MiB without a newline, in 64 KiB pieces as a FIFO delivers them: damage, not a line.
    const junk = new Uint8Array(64 << 10).fill(0x61);
    for (let i = 0; i < 80; i++) pump.push(junk);
    pump.push(new Uint8Array([10]));
    pump.push(capture.subarray(half));
    const raw = pump.finish();
    expect(pump.overlong).toBe(1);
    expect(pump.lines).toBe(lineCount + 1);
    expect(raw!.length).toBe(capture.length + 80 * junk.length + 1);
    const r = parser.finish();
    expect(r.problemCount).toBe(0);
    const whole = new StraceParser();
    const wholePump = new LinePump(whole, null);
    wholePump.push(capture);
    wholePump.finish();
    expect(r.table.numRows).toBe(whole.finish().table.numRows);
  });
});
