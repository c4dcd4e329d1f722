import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LineSplitter, readLines } from './lines.ts';
import { parseSecondsToParts } from './time-origin.ts';

async function collect(source: Uint8Array, chunkBytes?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(source, chunkBytes)) out.push(line);
  return out;
}

describe('readLines', () => {
  const file = new Uint8Array(readFileSync(new URL('../../fixtures/ftrace/trace-cmd-report-hackbench.txt', import.meta.url)));

  it('splits a real file the same way at every chunk size', async () => {
    const whole = await collect(file);
    expect(whole).toHaveLength(1141); // wc -l
    expect(whole[0]).toBe('cpus=2');
    for (const size of [1, 2, 3, 7, 64, 4093]) expect(await collect(file, size)).toEqual(whole);
  });

  it('keeps multi-byte characters whole when a chunk ends inside one', async () => {
    // Command names and paths are arbitrary bytes; UTF-8 ones must survive any chunk border.
    const text = 'κόσμε-12 [000] 1.0: x\r\nzweite Zeile ü\n日本語';
    const bytes = new TextEncoder().encode(text);
    for (let size = 1; size <= 5; size++) expect(await collect(bytes, size)).toEqual(['κόσμε-12 [000] 1.0: x', 'zweite Zeile ü', '日本語']);
  });

  it('strips \\r\\n, keeps empty lines and a last line without newline', () => {
    const s = new LineSplitter();
    const enc = new TextEncoder();
    expect(s.push(enc.encode('a\r\n\nb\r'))).toEqual(['a', '']);
    expect(s.push(enc.encode('\nc'))).toEqual(['b']);
    expect(s.end()).toEqual(['c']);
  });
});

describe('parseSecondsToParts', () => {
  it('keeps epoch timestamps exact', () => {
    expect(parseSecondsToParts('1795331362.712405')).toEqual({ sec: 1795331362, nsec: 712405000 });
    expect(parseSecondsToParts('   4760.300870123456')).toEqual({ sec: 4760, nsec: 300870123 });
    expect(parseSecondsToParts('12')).toEqual({ sec: 12, nsec: 0 });
    expect(parseSecondsToParts('12:00:01')).toBeNull();
    expect(parseSecondsToParts('')).toBeNull();
  });
});
