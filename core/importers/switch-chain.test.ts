import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FtraceParser } from './ftrace.ts';
import { chainBreakNote, switchChainBreaks } from './switch-chain.ts';
import { feed, rowsOf } from './testing/parse-helpers.ts';

async function table(path: string) {
  const p = new FtraceParser();
  await feed(p, new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url))));
  return p.finish().table;
}

/** The same count done the slow, obvious way over plain rows. */
function naiveBreaks(rows: ReturnType<typeof rowsOf>): Record<number, number> {
  const out: Record<number, number> = {};
  const switches = rows.filter((r) => r.event === 'sched_switch');
  switches.forEach((r, i) => {
    const before = switches.slice(0, i).filter((x) => x.cpu === r.cpu).at(-1);
    if (before && before.next_pid !== r.prev_pid) out[r.cpu as number] = (out[r.cpu as number] ?? 0) + 1;
  });
  return out;
}

describe('switch chain breaks', () => {
  for (const f of ['ftrace/tracefs-hackbench.txt', 'ftrace/trace-pipe-lost-events.txt', 'ftrace/trace-cmd-report-v2-juno.txt']) {
    it(`counts the breaks of ${f} as a naive search does`, async () => {
      const t = await table(f);
      const b = switchChainBreaks(t);
      expect(b.perCpu).toEqual(naiveBreaks(rowsOf(t)));
      expect(b.total).toBe(Object.values(b.perCpu).reduce((a, x) => a + x, 0));
    });
  }

  it('finds the breaks a buffer overrun leaves and says where they are', async () => {
    // trace_pipe read too slowly: two "[LOST N EVENTS]" marks, so chains must break.
    const b = switchChainBreaks(await table('ftrace/trace-pipe-lost-events.txt'));
    expect(b.total).toBeGreaterThan(0);
    expect(chainBreakNote(b)).toMatch(/^\d+ sched_switch rows \(\d+ on CPU \d/);
  });
});
