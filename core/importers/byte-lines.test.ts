import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLineSplitter, decodeLine } from './byte-lines.ts';
import { LineSplitter } from './lines.ts';

type Out = string | { overlong: number; head: string };

function byteLines(bytes: Uint8Array, chunk: number, maxLine?: number): Out[] {
  const out: Out[] = [];
  const s = new ByteLineSplitter(
    {
      line: (buf, start, end) => out.push(decodeLine(buf, start, end)),
      overlong: (head, n) => out.push({ overlong: n, head: new TextDecoder().decode(head) }),
    },
    maxLine,
  );
  for (let off = 0; off < bytes.length; off += chunk) s.push(bytes.subarray(off, off + chunk));
  s.end();
  return out;
}

function textLines(bytes: Uint8Array): string[] {
  const s = new LineSplitter();
  return [...s.push(bytes), ...s.end()];
}

// Bytes that matter to line splitting and decoding: newlines, CR, a BOM's bytes, UTF-8 lead and continuation bytes.
const interesting = fc.oneof(fc.constantFrom(10, 13, 0xef, 0xbb, 0xbf, 0xe2, 0x80, 0xa8, 0xc3, 0xa9, 0xf0, 0x9f, 0x41, 0x20), fc.integer({ min: 0, max: 255 }));

describe('ByteLineSplitter', () => {
  it('gives the lines LineSplitter gives, for any bytes and any chunk size', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }).chain((a) => fc.tuple(fc.constant(a), fc.array(interesting, { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), fc.boolean())), ([a, b, chunk, bom]) => {
        const bytes = new Uint8Array([...(bom ? [0xef, 0xbb, 0xbf] : []), ...b, ...a, ...b]);
        expect(byteLines(bytes, chunk)).toEqual(textLines(bytes));
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it('splits a real capture like LineSplitter at every chunk size', () => {
    const file = new Uint8Array(readFileSync(new URL('../../fixtures/strace/strace-f-ttt-T-pipeline-threads.log', import.meta.url)));
    const want = textLines(file);
    expect(want).toHaveLength(1824); // wc -l
    for (const size of [1, 3, 64, 4093, 1 << 20]) expect(byteLines(file, size)).toEqual(want);
  });

  it('reports a line over the limit by its head and length, at any chunk size, and goes on after it', () => {
    const long = 'x'.repeat(5000);
    const bytes = new TextEncoder().encode(`a\n${long}\r\nb\n${long}`);
    for (const size of [1, 7, 100, 4096, 1 << 16]) {
      expect(byteLines(bytes, size, 4096)).toEqual(['a', { overlong: 5001, head: 'x'.repeat(256) }, 'b', { overlong: 5000, head: 'x'.repeat(256) }]);
    }
    // At the limit a line is still a line.
    expect(byteLines(new TextEncoder().encode('y'.repeat(4096) + '\n'), 1000, 4096)).toEqual(['y'.repeat(4096)]);
  });
});
