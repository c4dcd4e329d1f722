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
  it('runs a forecast-lab spec: every model at every horizon and history, with and without syscall inputs', async () => {
    const spec = {
      lab: 'forecast',
      bundle: { path: join(datasets, '../compression.tlab') },
      horizons: [1, 3],
      histories: [2, 4],
      inputSets: [
        { name: 'usage', families: ['usage'] },
        { name: 'usage+syscalls', families: ['usage', 'syscalls', 'syscall-embedding'] },
      ],
      embedding: { dim: 4, epochs: 2 },
      models: ['persistence', 'moving-average', 'ridge', 'random-forest', 'tcn'],
      forest: { trees: 10 },
      neural: { tcn: { epochs: 5, width: 8 } },
    };
    const run = await runTlab(['run', writeSpec(spec), '--json', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as {
      rows: { model: string; inputs: string; horizon: number; history: number; rmse: number }[];
      inputSets: { name: string; seriesIds: string[] }[];
      predictions: { actual: number[]; models: { model: string; predicted: number[] }[] };
      embedding: { tokens: string[]; kinds: string[]; dim: number; vectors: number[] };
    };
    expect(r.inputSets.map((s) => s.name)).toEqual(['usage', 'usage+syscalls']);
    expect(r.inputSets[1]!.seriesIds.filter((id) => id.startsWith('syscall:')).length).toBeGreaterThan(3);
    expect(r.inputSets[1]!.seriesIds.filter((id) => id.startsWith('syscall-emb:'))).toHaveLength(4);
    expect(r.embedding.vectors).toHaveLength(r.embedding.tokens.length * 4);
    expect(r.embedding.kinds[r.embedding.tokens.indexOf('read')]).toBe('file');
    const count = (inputs: string) => r.rows.filter((x) => x.inputs === inputs).length;
    // 2 horizons × 2 histories: 5 models on the first set; the input-blind baselines only there.
    expect(count('usage')).toBe(4 * 5);
    expect(count('usage+syscalls')).toBe(4 * 3);
    for (const row of r.rows) expect(row.rmse).toBeGreaterThanOrEqual(0);
    // The last set's models and the input-blind baselines, on the same test targets.
    expect(r.predictions.models.map((m) => m.model)).toEqual(['persistence', 'moving-average', 'ridge', 'random-forest', 'TCN']);
    expect(r.predictions.models[0]!.predicted).toHaveLength(r.predictions.actual.length);
  }, 180_000);

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
    // The engine is the default, with the fused multiply-add kernels the CLI enables.
    expect(printed.backend).toBe('engine · wasm-relaxed-simd (Node)');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(printed);
    // TensorFlow.js on its WASM backend trains the same models from the same seed to the same scores within noise.
    const tfjs = await runTlab(['run', writeSpec(SMALL), '--json', '--quiet', '--backend', 'wasm']);
    expect(tfjs.code, tfjs.stderr).toBe(0);
    const onTfjs = JSON.parse(tfjs.stdout) as SchedResults;
    expect(onTfjs.backend).toBe('tfjs-wasm (Node)');
    const top1 = (r: SchedResults) => r.rows.find((x) => x.name === 'TCN')!.scores.overall.top1;
    expect(Math.abs(top1(onTfjs) - top1(printed))).toBeLessThan(0.02);
    const unknown = await runTlab(['run', writeSpec(SMALL), '--backend', 'gpu']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown backend "gpu" (choose engine, engine-js, wasm, cpu)');
  }, 240_000);

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
    const noLab = await runTlab(['run', writeSpec({ ...SMALL, lab: 'weather' })]);
    expect(noLab.code).toBe(2);
    expect(noLab.stderr).toMatch(/"lab" must be "sched" \(scheduling lab\), "forecast" \(forecast lab\), "verified" \(verified lab\) or "fingerprint" \(fingerprint lab\), got "weather"/);
    const wrongShape = await runTlab(['run', writeSpec({ ...SMALL, lab: 'forecast' })]);
    expect(wrongShape.code).toBe(2);
    expect(wrongShape.stderr).toMatch(/invalid forecast-lab spec at bundle/);
  }, 60_000);

  it('runs a fingerprint-lab spec: CWD Tables II, III and IV from the shipped recordings', async () => {
    const dir = new URL('../../public/datasets/fingerprint/', import.meta.url).pathname;
    const bundles = ['compress', 'python', 'redis', 'nginx'].flatMap((w) => [1, 2, 3, 4].map((r) => ({ path: `${dir}${w}-${r}.tlab`, workload: w, role: w === 'nginx' ? 'unknown' : 'known' })));
    const spec = { lab: 'fingerprint', seed: 1, bundles, normalisation: 'log', classifier: { rounds: 10 }, split: { leaveOneRunOut: false }, partialShare: 0 };
    const r = await runTlab(['run', '--quiet', writeSpec(spec)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/case study 1: classifying known workloads/);
    expect(r.stdout).toMatch(/70\/30 +gbt/);
    expect(r.stdout).toMatch(/nginx +\d/);
    expect(r.stdout).toMatch(/case study 3: distances between runs/);
  }, 60_000);
});
