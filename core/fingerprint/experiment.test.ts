import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle, type Bundle } from '../bundle/reader.ts';
import { averageLinkageOrder, runFingerprintExperiment } from './experiment.ts';
import { runSeries } from './series.ts';
import { parseFingerprintSpec } from './spec.ts';

const DIR = join(import.meta.dirname, '../../public/datasets/fingerprint');

async function load(path: string): Promise<Bundle> {
  const r = await readBundle(new Uint8Array(readFileSync(join(DIR, path))));
  if (!r.ok) throw new Error(`${path}: ${JSON.stringify(r.error)}`);
  return r.bundle;
}

describe('fingerprint experiment on the shipped recordings', () => {
  it('the suggested spec (70/30 only, fewer rounds) beats the majority class, and the same spec gives the same numbers', async () => {
    const raw = JSON.parse(readFileSync(join(DIR, 'spec.json'), 'utf8'));
    const spec = parseFingerprintSpec({ ...raw, classifier: { ...raw.classifier, rounds: 20 }, split: { trainShare: 0.7, leaveOneRunOut: false } });
    const inputs = [];
    for (const b of spec.bundles) {
      const bundle = await load(b.path);
      inputs.push({ ...b, series: runSeries(bundle, spec.sources, spec.includeSystem) });
    }
    const a = runFingerprintExperiment(spec, inputs);
    const b = runFingerprintExperiment(spec, inputs);
    const strip = (r: typeof a) => JSON.stringify({ ...r, seconds: null });
    expect(strip(a)).toBe(strip(b));
    const e = a.evaluations[0]!;
    expect(e.split).toBe('70/30');
    const acc = Object.fromEntries(e.models.map((m) => [m.model, m.scores.accuracy]));
    expect(acc.gbt!).toBeGreaterThan(acc.majority! + 0.3);
    expect(acc.nearest!).toBeGreaterThan(acc.majority! + 0.3);
    // 10 runs per known workload → 3 test runs each.
    expect(e.testRuns).toBe(3 * a.classes.length);
    // Every unknown workload gets a resemblance row whose shares sum to 1.
    expect(a.resemblance.length).toBeGreaterThan(0);
    for (const r of a.resemblance) expect(Object.values(r.gbt).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    // Distances are symmetric with a zero diagonal.
    const D = a.distances.dtw;
    for (let i = 0; i < D.length; i++) {
      expect(D[i]![i]).toBe(0);
      for (let j = 0; j < i; j++) expect(D[i]![j]).toBe(D[j]![i]);
    }
  }, 60_000);

  it('average linkage keeps two obvious clusters together', () => {
    const pos = [0, 10, 1, 11, 2];
    const D = pos.map((a) => pos.map((b) => Math.abs(a - b)));
    const order = averageLinkageOrder(D);
    const groups = order.map((i) => (pos[i]! < 5 ? 'a' : 'b')).join('');
    expect(['aaabb', 'bbaaa']).toContain(groups);
  });
});
