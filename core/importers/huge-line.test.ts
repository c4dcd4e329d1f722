import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCapture } from './capture-to-bundle.ts';
import { ImportError } from './errors.ts';

/**
 * A 50 MB line (a damaged capture, a binary blob with no newline) must cost bounded memory: it is never
 * held whole, let alone as a string. Before lines were split as bytes, this file took 74 s and 1.8 GB.
 * The bound is on the peak resident memory over the import (sampled at each chunk, and the process's
 * maximum after), above what it was with the input already in memory.
 */
const HUGE = 50_000_000;
const BOUND = 200 * 2 ** 20;

/** `before`, then an strace line writing HUGE bytes of "a" (built as bytes: no 50 MB string here either), then `after`. */
function withHugeLine(before: string, after: string): { bytes: Uint8Array; lineBytes: string } {
  const enc = new TextEncoder();
  const start = '1795331362.712405 write(1, "';
  const end = `", ${HUGE}) = ${HUGE} <0.000100>`;
  const head = enc.encode(before + start);
  const tail = enc.encode(`${end}\n${after}`);
  const bytes = new Uint8Array(head.length + HUGE + tail.length).fill(0x61 /* a */);
  bytes.set(head);
  bytes.set(tail, head.length + HUGE);
  return { bytes, lineBytes: `${(start.length + HUGE + end.length).toLocaleString('en-US')} bytes` };
}

async function peakGrowth<T>(run: (sample: () => void) => Promise<T>): Promise<{ result: T | ImportError; growth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  let result: T | ImportError;
  try {
    result = await run(sample);
  } catch (e) {
    if (!(e instanceof ImportError)) throw e;
    result = e;
  }
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  return { result, growth: peak - before };
}

describe('a 50 MB line', () => {
  it('alone in a file: refused as line-too-long, in bounded memory', async () => {
    const { bytes, lineBytes } = withHugeLine('', '');
    const { result, growth } = await peakGrowth((sample) => importCapture('huge.log', bytes, { onProgress: sample }));
    expect(result).toBeInstanceOf(ImportError);
    expect((result as ImportError).kind).toBe('line-too-long');
    expect((result as ImportError).message).toContain('line 1 is longer than any capture');
    expect((result as ImportError).message).toContain(`(${lineBytes};`);
    expect(growth).toBeLessThan(BOUND);
  });

  it('inside a real strace capture: a bad line with its number, the other lines imported, in bounded memory', async () => {
    const log = readFileSync(new URL('../../fixtures/strace/strace-f-ttt-T-pipeline-threads.log', import.meta.url), 'utf8');
    const plain = await importCapture('plain.log', new TextEncoder().encode(log));
    const lines = log.split('\n');
    const { bytes, lineBytes } = withHugeLine(lines.slice(0, 1000).join('\n') + '\n', lines.slice(1000).join('\n'));
    const { result, growth } = await peakGrowth((sample) => importCapture('huge.log', bytes, { onProgress: sample }));
    if (result instanceof ImportError) throw result;
    expect(result.report.rows).toBe(plain.report.rows);
    expect(result.report.problemCount).toBe(plain.report.problemCount + 1);
    expect(result.report.problems.find((p) => p.line === 1001)?.reason).toMatch(new RegExp(`^a line of ${lineBytes}, longer than any capture's lines`));
    expect(result.report.lines).toBe(plain.report.lines + 1);
    expect(growth).toBeLessThan(BOUND);
  });
});
