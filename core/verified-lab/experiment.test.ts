import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundle, type Bundle } from '../bundle/index.ts';
import { evaluate, reluNetFromWeights } from '../verify/relu-net.ts';
import { buildVerifiedDataset } from './dataset.ts';
import { runVerifiedExperiment, type VerifiedResults } from './experiment.ts';
import { recheckCertificate } from './certificate.ts';
import { scaleInput } from './scaling.ts';
import { parseVerifiedSpec } from './spec.ts';

// The shipped `tlab bench` bundles: real services under real interference.
const DIR = new URL('../../public/datasets/verified/', import.meta.url);
let bundles: { label: string; bundle: Bundle }[];

beforeAll(async () => {
  bundles = [];
  for (const name of ['redis.tlab', 'nginx.tlab']) {
    const r = await readBundle(new Uint8Array(readFileSync(new URL(name, DIR))));
    if (!r.ok) throw new Error(`${name}: ${r.error.kind}`);
    bundles.push({ label: name, bundle: r.bundle });
  }
});

const spec = () =>
  parseVerifiedSpec({
    lab: 'verified',
    seed: 3,
    bundles: [{ path: 'redis.tlab' }, { path: 'nginx.tlab' }],
    service: 'redis',
    target: 'p99_us',
    inputs: ['psi:system:cpu:some', 'psi:system:io:some', 'usage:system:cpu', 'config:level'],
    monotone: { 'psi:system:cpu:some': 'increasing', 'psi:system:io:some': 'increasing' },
    model: { hidden: [16, 16] },
    cegis: { epochsPerRound: 5, maxRounds: 2 },
    verifier: { boxes: 60, milpNodes: 300, seconds: 60 },
  });

describe('the verified lab on tlab bench bundles', () => {
  let r: VerifiedResults;
  beforeAll(() => {
    r = runVerifiedExperiment(spec(), bundles);
  }, 120_000);

  it('aligns every latency interval with pressure, usage and the configuration', () => {
    const d = buildVerifiedDataset(bundles, 1);
    expect(d.services).toEqual(['nginx', 'redis']);
    for (const id of ['psi:system:cpu:some', 'psi:cgroup:cpu:some', 'usage:group:cpu', 'config:level']) {
      const v = d.values.get(id)!;
      expect(v.filter(Number.isFinite).length / v.length, id).toBeGreaterThan(0.95);
    }
    // Configuration inputs agree with the manifest's configurations row by row.
    const level = d.values.get('config:level')!;
    d.config.forEach((c, r) => expect(level[r]).toBe(d.configurations.find((x) => x.id === c)!.level));
    // Pressure is a share of the interval.
    for (const x of d.values.get('psi:system:cpu:some')!) if (Number.isFinite(x)) expect(x).toBeGreaterThanOrEqual(0), expect(x).toBeLessThanOrEqual(1.0001);
  });

  it('holds out whole configurations and scores every model on the same rows', () => {
    expect(r.data.trainRows + r.data.testRows).toBe(r.data.rows);
    expect(r.data.testConfigurations.length).toBeGreaterThan(0);
    const names = [/^mean of training latency$/, /^linear \(least squares\)$/, /^isotonic on input [12]$/, /^MLP 16×16 \(unverified\)$/, /^MLP 16×16 \(verified training\)$/];
    expect(r.scores.length).toBe(names.length);
    r.scores.forEach((s, i) => expect(s.model).toMatch(names[i]!));
    for (const s of r.scores) {
      expect(s.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(s.testAccuracy).toBeLessThanOrEqual(1);
      expect(s.testRmse).toBeGreaterThan(0);
    }
    expect(r.figure6.find((f) => f.set === 'test')!.n).toBe(r.data.testRows);
  });

  it('never reports a violation without a pair the network itself confirms', () => {
    const nets = { unverified: reluNetFromWeights(r.weights.unverified), verified: reluNetFromWeights(r.weights.verified) };
    for (const v of r.verifications) {
      if (v.status === 'falsified') expect(v.counterexample).toBeDefined();
      if (v.status === 'verified') expect(v.verifiedVolume).toBe(1);
      if (!v.counterexample || v.mode !== 'complete') continue;
      const c = v.counterexample;
      const d = r.inputs.findIndex((x) => x.id === c.input);
      const scaled = (x: readonly number[]) => x.map((val, k) => scaleInput(r.scaling.inputs, k, val));
      const net = nets[v.network];
      // The pair differs only in the violated input, and the network predicts less latency for more pressure.
      c.lo.forEach((val, k) => k !== d && expect(c.hi[k]).toBeCloseTo(val, 9));
      expect(c.hi[d]!).toBeGreaterThan(c.lo[d]!);
      expect(evaluate(net, scaled(c.hi))).toBeLessThan(evaluate(net, scaled(c.lo)));
    }
    // The figure's counterexample score is the share of pairs each network orders as the spec wants.
    const cex = r.figure6.find((f) => f.set === 'counterexamples')!;
    expect(cex.n).toBe(r.counterexamples.length);
    if (r.verifications.find((v) => v.network === 'verified' && v.mode === 'complete')!.status === 'verified') expect(cex.verified).toBe(1);
  });

  it('gives the unverified network\'s pairs violation regions that hold the pair\'s line and fall the wrong way', () => {
    const net = reluNetFromWeights(r.weights.unverified);
    const scaled = (x: readonly number[]) => x.map((val, k) => scaleInput(r.scaling.inputs, k, val));
    const own = r.counterexamples.filter((c) => c.foundOn === 'unverified network' && c.region);
    expect(own.length).toBeGreaterThan(0);
    for (const c of own) {
      const g = c.region!;
      const d = r.inputs.findIndex((x) => x.id === c.input);
      expect(g.volume).toBeGreaterThan(0);
      expect(g.volume).toBeLessThanOrEqual(1);
      // The region is around the pair's line: every other input's value lies in its range.
      c.lo.forEach((v, k) => k !== d && (expect(v).toBeGreaterThanOrEqual(g.lo[k]! - 1e-9), expect(v).toBeLessThanOrEqual(g.hi[k]! + 1e-9)));
      // Across the region along the violated input, the network falls (it was proven; evaluating agrees).
      const a = [...g.lo];
      const b = [...g.lo];
      b[d] = g.hi[d]!;
      expect(evaluate(net, scaled(b))).toBeLessThan(evaluate(net, scaled(a)));
    }
  });

  it('draws each counterexample\'s dependence curve through the pair', () => {
    expect(r.curves.length).toBe(r.counterexamples.length);
    for (const c of r.curves) {
      expect(c.x.length).toBe(c.unverified.length);
      expect(c.x[0]).toBeCloseTo(r.inputs.find((i) => i.id === r.counterexamples[c.counterexample]!.input)!.boxLo, 9);
    }
  });

  it('certifies the weights it returns, and the certificate re-checks', () => {
    const again = recheckCertificate(r.weights.verified, r.certificate, 10);
    // A verdict reached within the budget is reached again (unknown may turn into another budget-bound answer).
    if (r.certificate.result === 'verified' || r.certificate.result === 'falsified') expect(again.ok, again.message).toBe(true);
    expect(again.message).not.toMatch(/not the ones certified/);
  });

  it('gives the same numbers for the same spec', () => {
    const again = runVerifiedExperiment(spec(), bundles);
    expect(again.scores).toEqual(r.scores);
    expect(again.epochs).toEqual(r.epochs);
  }, 120_000);

  it('names a service the bundles do not have, and an input they do not give', () => {
    expect(() => runVerifiedExperiment({ ...spec(), service: 'postgres' }, bundles)).toThrow(/no latency rows for service "postgres".*"nginx", "redis"/);
    expect(() => runVerifiedExperiment({ ...spec(), inputs: ['psi:system:gpu:some'] }, bundles)).toThrow(/no input "psi:system:gpu:some"/);
  });
});
