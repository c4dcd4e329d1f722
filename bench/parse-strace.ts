import { readFileSync } from 'node:fs';
import { StraceParser } from '../core/importers/strace.ts';
import { ByteLineSplitter } from '../core/importers/byte-lines.ts';
import { chunksOf } from '../core/bundle/source.ts';
import type { BenchRow } from './report.ts';

/**
 * strace text import speed: a real capture repeated to ~20 MB, read in 4 MiB chunks, split into lines as bytes and
 * parsed into the table, the way importCapture feeds a parser that reads bytes.
 */
export async function benchParseStrace(): Promise<BenchRow[]> {
  const one = readFileSync(new URL('../fixtures/strace/strace-f-ttt-T-pipeline-threads.log', import.meta.url));
  const copies = Math.ceil((20 * 2 ** 20) / one.byteLength);
  const big = new Uint8Array(one.byteLength * copies);
  for (let i = 0; i < copies; i++) big.set(one, i * one.byteLength);
  const times: number[] = [];
  let rows = 0;
  // Run 0 warms the JIT up and is not timed: the figure is the parser's speed, not V8's compile time.
  for (let run = 0; run < 4; run++) {
    const t0 = performance.now();
    const parser = new StraceParser();
    const lines = new ByteLineSplitter({ line: (b, s, e) => parser.pushLineBytes(b, s, e), overlong: () => parser.pushLine('') });
    for await (const chunk of chunksOf(big)) lines.push(chunk);
    lines.end();
    rows = parser.finish().table.numRows;
    if (run > 0) times.push(performance.now() - t0);
  }
  const best = Math.min(...times);
  const model = `strace -f -ttt -T text (${(big.byteLength / 2 ** 20).toFixed(0)} MiB, ${rows} rows)`;
  return [
    { suite: 'parse', model, backend: 'node', metric: 'throughput', value: big.byteLength / 2 ** 20 / (best / 1000), unit: 'MiB/s' },
    { suite: 'parse', model, backend: 'node', metric: 'rows_per_second', value: rows / (best / 1000), unit: 'rows/s' },
  ];
}
