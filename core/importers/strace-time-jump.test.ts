import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCapture } from './capture-to-bundle.ts';

/**
 * A sharp jump in one line's time (a damaged digit) was taken as is: a 1.05 s capture became 3600 s long with
 * status ok, or, in -t style past half a day, every line after the damaged one was refused as "not a midnight
 * rollover" and the import failed blaming the good lines. Real captures, one line's time changed.
 */
const fixture = (p: string) => readFileSync(new URL(`../../fixtures/strace/${p}`, import.meta.url), 'utf8');

function withLine(text: string, lineNo: number, edit: (line: string) => string): Uint8Array {
  const lines = text.split('\n');
  const changed = edit(lines[lineNo - 1]!);
  expect(changed).not.toBe(lines[lineNo - 1]);
  lines[lineNo - 1] = changed;
  return new TextEncoder().encode(lines.join('\n'));
}

async function imported(bytes: Uint8Array) {
  const { bundle, report } = await importCapture('strace.log', bytes);
  return { spanNs: bundle.manifest.workload.endNs, rows: report.rows, problems: report.problems, problemCount: report.problemCount, notes: report.notes };
}

const ttt = fixture('strace-f-ttt-T-pipeline-threads.log');
const t = fixture('strace-t-ls.log');
const addSeconds = (s: number) => (l: string) => l.replace(/ (\d{10})\./, (_, sec: string) => ` ${Number(sec) + s}.`);

describe('a line whose time jumps far from its neighbours', () => {
  it('the unchanged captures keep every row (a real 1 s sleep in the pipeline is no jump)', async () => {
    const a = await imported(new TextEncoder().encode(ttt));
    expect(a.problemCount).toBe(0);
    expect(a.rows).toBe(1194);
    expect(a.spanNs).toBeGreaterThan(1e9);
    expect((await imported(new TextEncoder().encode(t))).problemCount).toBe(0);
  });

  for (const [what, lineNo, edit] of [
    ['-ttt, an hour ahead in the middle', 900, addSeconds(3600)],
    ['-ttt, a day ahead on the first line', 1, addSeconds(86400)],
    ['-ttt, two seconds behind in the middle', 702, addSeconds(-2)],
  ] as const) {
    it(`${what}: the line is skipped and named, the capture keeps its span`, async () => {
      const clean = await imported(new TextEncoder().encode(ttt));
      const r = await imported(withLine(ttt, lineNo, edit));
      expect(r.rows).toBe(clean.rows - 1);
      expect(r.problemCount).toBe(1);
      expect(r.problems[0]).toMatchObject({ line: lineNo, reason: expect.stringContaining('the time is damaged') });
      // Without the first line the capture starts at the second (0.3 ms later); otherwise its span is the same.
      expect(r.spanNs).toBeLessThanOrEqual(clean.spanNs);
      expect(r.spanNs).toBeGreaterThan(clean.spanNs - 1e6);
      expect(r.notes.join(' ')).not.toContain('rows are sorted');
    });
  }

  for (const [what, to] of [
    ['-t, 5 hours ahead', '12:'],
    ['-t, 16 hours ahead (more than half a day: read as a time of day going back, before)', '23:'],
  ] as const) {
    it(`${what}: only that line is skipped`, async () => {
      const r = await imported(withLine(t, 300, (l) => l.replace(/^07:/, to)));
      expect(r.rows).toBe(722);
      expect(r.problemCount).toBe(1);
      expect(r.problems[0]).toMatchObject({ line: 300 });
      expect(r.spanNs).toBe(0);
    });
  }
});
