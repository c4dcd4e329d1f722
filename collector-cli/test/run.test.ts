import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SchedResults } from '../../core/sched-lab/experiment.ts';
import { runTlab, tempDir } from './helpers.ts';

const datasets = new URL('../../public/datasets/sched/', import.meta.url).pathname;

function writeSpec(spec: unknown): string {
  const path = join(tempDir(), 'spec.json');
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

const SMALL = {
  lab: 'sched',
  seed: 3,
  bundles: [
    { path: join(datasets, 'messaging-1.tlab'), workload: 'messaging', role: 'train' },
    { path: join(datasets, 'messaging-2.tlab'), workload: 'messaging', role: 'test-seen' },
    { path: join(datasets, 'tar-gzip-1.tlab'), workload: 'tar-gzip', role: 'test-unseen' },
  ],
  window: 8,
  maxTrainWindows: 256,
  maxTestPositions: 400,
  latencyEvents: 20,
  models: [{ kind: 'tcn', filters: 8, kernel: 2, dilations: [1, 2], epochs: 1, batchSize: 64 }],
};

describe('tlab run', () => {
  it('runs a scheduling-lab spec and prints every baseline and model, seen and unseen, as JSON', async () => {
    const out = join(tempDir(), 'results.json');
    const run = await runTlab(['run', writeSpec(SMALL), '--json', '--quiet', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as SchedResults;
    expect(printed.rows.map((r) => r.name)).toEqual(['most-frequent', 'repeat-last', 'ping-pong', 'ngram-1', 'ngram-2', 'ngram-3', 'TCN']);
    for (const row of printed.rows) {
      expect(row.scores.byRole['test-seen']!.n).toBe(printed.data.testPositions['test-seen']);
      expect(row.scores.byRole['test-unseen']!.n).toBe(printed.data.testPositions['test-unseen']);
      expect(row.scores.byWorkload['tar-gzip']!.top1).toBeGreaterThanOrEqual(0);
    }
    expect(printed.backend).toBe('tfjs-wasm (Node)');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(printed);
  }, 180_000);

  it('prints a readable table without --json', async () => {
    const run = await runTlab(['run', writeSpec({ ...SMALL, models: [] }), '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ping-pong\s+\d+\.\d%/m);
    expect(run.stdout).toContain('KernelOracle2 reported');
  }, 60_000);

  it('refuses a bad spec with the field and the reason, and exits 2', async () => {
    const wrongRole = await runTlab(['run', writeSpec({ ...SMALL, bundles: [SMALL.bundles[0], { ...SMALL.bundles[2]!, workload: 'messaging' }] })]);
    expect(wrongRole.code).toBe(2);
    expect(wrongRole.stderr).toMatch(/bundles\[1\]\.role: workload "messaging" has training traces, so it is not unseen/);
    const missing = await runTlab(['run', writeSpec({ ...SMALL, bundles: [...SMALL.bundles, { path: 'nope.tlab', workload: 'x', role: 'test-unseen' }] })]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.tlab/);
    const notJson = join(tempDir(), 'bad.json');
    writeFileSync(notJson, '{ "lab": ');
    const bad = await runTlab(['run', notJson]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not JSON/);
    const noSched = await runTlab(['run', writeSpec({ ...SMALL, lab: 'forecast' })]);
    expect(noSched.code).toBe(2);
    expect(noSched.stderr).toMatch(/"lab" must be "sched"/);
  }, 60_000);
});
