import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lostOf, lostPerCpu, parseRingStats } from './ring-stats.ts';

// A real overflowed instance's stats (fixtures/SOURCES.md): overrun 39900, 108 entries left.
const overflowed = readFileSync(new URL('../../../fixtures/tracefs-stats/ring-stats-overrun.txt', import.meta.url), 'utf8');
// As a kernel without the "commit overrun" line would write it.
const shorter = overflowed.replace(/^commit overrun:.*\n/m, '');

describe('ring-buffer stats', () => {
  it('reads every figure of a real overflowed buffer', () => {
    const s = parseRingStats(0, overflowed, 'cpu0/stats');
    expect(s).toMatchObject({ entries: 108, overrun: 39900, commitOverrun: 0, dropped: 0, read: 0 });
    expect(lostOf(s)).toBe(39900);
  });

  it('refuses a file without a figure, naming it, unless missing figures count 0', () => {
    expect(() => parseRingStats(0, shorter, 'cpu0/stats')).toThrow(/cpu0\/stats: no "commit overrun:" line/);
    expect(parseRingStats(0, shorter, 'cpu0/stats', true)).toMatchObject({ overrun: 39900, commitOverrun: 0 });
  });

  const dir = mkdtempSync(join(tmpdir(), 'tlab-ring-stats-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts lost events per CPU for the text reader, an unreadable CPU as 0', () => {
    mkdirSync(join(dir, 'per_cpu/cpu0'), { recursive: true });
    mkdirSync(join(dir, 'per_cpu/cpu1'), { recursive: true });
    writeFileSync(join(dir, 'per_cpu/cpu0/stats'), shorter);
    expect(lostPerCpu(2, (f) => join(dir, f))).toEqual([39900, 0]);
  });
});
