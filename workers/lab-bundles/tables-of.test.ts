import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableProblem } from '../../app/labs/shell/overview-bundle.ts';
import { tablesOf } from './tables-of.ts';

const file = (path: string, name: string) => new File([readFileSync(new URL(`../../${path}`, import.meta.url))], name);

// What the sched and verified labs ask of a dropped file before adding it (read here without a loader, as in Node).
describe('tablesOf and tableProblem', () => {
  it('lists a bundle’s tables and an imported trace-cmd report’s sched table', async () => {
    const bundle = await tablesOf({ file: file('public/datasets/verified/redis.tlab', 'redis-copy.tlab') }, 'redis-copy.tlab');
    expect(bundle.ok && bundle.tables).toContain('latency');
    expect(bundle.ok && tableProblem('redis-copy.tlab', bundle.tables, ['sched'], 'sched_switch events')).toMatch(/^redis-copy\.tlab has no sched table: this lab needs sched_switch events$/);
    const trace = await tablesOf({ file: file('fixtures/ftrace/trace-cmd-report-hackbench.txt', 'report.txt') }, 'report.txt');
    expect(trace.ok && trace.tables).toContain('sched');
    expect(trace.ok && tableProblem('report.txt', trace.tables, ['sched'], 'x')).toBeNull();
  });

  it('refuses a file that is neither a bundle nor a capture, naming it, without throwing', async () => {
    const o = await tablesOf({ file: new File([new TextEncoder().encode('not a capture of anything\n')], 'notes.txt') }, 'notes.txt');
    expect(o.ok).toBe(false);
    expect(!o.ok && o.message).toMatch(/^notes\.txt: /);
  });
});
