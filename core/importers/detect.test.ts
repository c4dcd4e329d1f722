import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectTextFormat, type TextFormat } from './detect.ts';

const fixtures = new URL('../../fixtures/', import.meta.url);

function headOf(path: URL): string {
  return readFileSync(path).subarray(0, 16 * 1024).toString('utf8');
}

const expected: Record<string, TextFormat> = {
  strace: 'strace',
  ftrace: 'ftrace',
  'perf-stat': 'perf-stat',
  'perf-sched': 'perf-sched',
  perfspect: 'perfspect-summary',
  'perfspect-series': 'perfspect-series',
  systrace: 'systrace',
  'kernel-oracle': 'kernel-oracle-csv',
  psi: 'psi',
  csv: 'csv',
};

describe('format detection by content', () => {
  for (const [dir, format] of Object.entries(expected)) {
    // A build's metadata (kernel-oracle/*.json) sits beside its capture; it is not a capture format.
    for (const name of readdirSync(new URL(`${dir}/`, fixtures)).filter((n) => !n.endsWith('.json'))) {
      const path = new URL(`${dir}/${name}`, fixtures);
      const files = statSync(path).isDirectory() ? readdirSync(path).slice(0, 2).map((f) => new URL(`${dir}/${name}/${f}`, fixtures)) : [path];
      for (const file of files) {
        it(`${file.pathname.split('/fixtures/')[1]} is ${format}`, () => {
          expect(detectTextFormat(headOf(file)).format).toBe(format);
        });
      }
    }
  }

  it('does not claim files of other kinds', () => {
    const notTraces = [new URL('../../package.json', import.meta.url), new URL('../../README.md', import.meta.url), new URL('../../docs/bundle-format.md', import.meta.url)];
    for (const f of notTraces) expect(detectTextFormat(headOf(f)).format).toBeNull();
  });
});
