import { describe, expect, it } from 'vitest';
import { mlpInitialWeights } from '../engine/mlp.ts';
import { Rng } from '../ml/rng.ts';
import { CERTIFICATE_FORMAT, hashWeights, parseVerifiedModelFile, recheckCertificate, verifiedModelFile, type Certificate } from './certificate.ts';
import { overlapMeans } from './overlap.ts';
import { fitMinMax, fitTarget, scaleInput, scaleTarget, targetToReal, unscaleInput } from './scaling.ts';
import { splitRows } from './split.ts';

describe('overlapMeans', () => {
  it('weights each reading by how much of the target interval it covers', () => {
    // Readings over (0,10] = 1, (10,20] = 3, (20,30] = 5; the target (5,15] is half of each of the first two.
    const series = { endNs: [10, 20, 30], lengthNs: [10, 10, 10], values: [1, 3, 5] };
    const out = overlapMeans(series, [15, 30, 26], [10, 5, 12]);
    expect(out[0]).toBeCloseTo(2);
    expect(out[1]).toBeCloseTo(5);
    // (14,26]: 6 ns of 3 and 6 ns of 5.
    expect(out[2]).toBeCloseTo(4);
  });

  it('leaves a target mostly outside the readings (or over missing ones) as NaN instead of filling it', () => {
    const series = { endNs: [10, 20], lengthNs: [10, 10], values: [1, Number.NaN] };
    const out = overlapMeans(series, [40, 20, 12], [10, 10, 4]);
    expect(out[0]).toBeNaN();
    expect(out[1]).toBeNaN();
    // (8,12]: half covered by the reading 1, half by the missing one: exactly the minimum cover.
    expect(out[2]).toBeCloseTo(1);
  });
});

describe('scaling', () => {
  it('fits MinMax on the training rows only and round-trips', () => {
    const col = [5, 7, 100, 6];
    const s = fitMinMax([col], [0, 1, 3]);
    expect(s).toEqual({ min: [5], max: [7] });
    expect(scaleInput(s, 0, 6)).toBe(0.5);
    // A test value outside the training range scales outside [0, 1]; it is not clipped.
    expect(scaleInput(s, 0, 100)).toBe(47.5);
    expect(unscaleInput(s, 0, 0.25)).toBe(5.5);
  });

  it('log-transforms the target before scaling and inverts both', () => {
    const y = [10, 100, 1000];
    const t = fitTarget(y, [0, 2], 'log');
    expect(scaleTarget(t, 10)).toBeCloseTo(0);
    expect(scaleTarget(t, 100)).toBeCloseTo(0.5);
    expect(targetToReal(t, 0.5)).toBeCloseTo(100);
  });
});

describe('splitRows', () => {
  const rows = Array.from({ length: 40 }, (_, i) => i);
  const configOf = (r: number) => `c${Math.floor(r / 10)}`;

  it('by configuration holds out whole configurations and never all of them', () => {
    const s = splitRows(rows, { by: 'configuration', test: 0.2 }, configOf, new Rng(3));
    expect(s.testConfigurations.length).toBe(1);
    const testConfigs = new Set(s.test.map(configOf));
    expect([...testConfigs]).toEqual(s.testConfigurations);
    expect(s.train.some((r) => testConfigs.has(configOf(r)))).toBe(false);
    expect(s.train.length + s.test.length).toBe(40);
  });

  it('by row holds out the share asked for, the same for the same seed', () => {
    const a = splitRows(rows, { by: 'row', test: 0.25 }, configOf, new Rng(5));
    const b = splitRows(rows, { by: 'row', test: 0.25 }, configOf, new Rng(5));
    expect(a.test.length).toBe(10);
    expect(a).toEqual(b);
  });

  it('refuses a split by configuration with one configuration', () => {
    expect(() => splitRows([1, 2, 3], { by: 'configuration', test: 0.2 }, () => 'only', new Rng(1))).toThrow(/at least 2 configurations/);
  });
});

describe('certificate', () => {
  const weights = mlpInitialWeights({ inputs: 2, hidden: [4], outputs: 1 }, new Rng(9));
  // Make the net monotone increasing in both inputs: non-negative weights everywhere.
  const monotone = weights.map((w) => ({ ...w, data: w.data.map(Math.abs) }));
  const cert: Certificate = {
    format: CERTIFICATE_FORMAT,
    inputs: [
      { id: 'a', direction: 'increasing', lo: 0, hi: 1 },
      { id: 'b', direction: 'increasing', lo: 0, hi: 1 },
    ],
    spec: { directions: ['increasing', 'increasing'], lo: [0, 0], hi: [1, 1] },
    method: 'complete',
    result: 'verified',
    verifiedVolume: 1,
    seconds: 0,
    boxes: 1,
    weightsHash: hashWeights(monotone),
    engine: 'test',
    createdAt: '2026-12-04T00:00:00Z',
  };

  it('re-verifies a model whose weights match, and refuses one whose weights changed by one bit', () => {
    expect(recheckCertificate(monotone, cert).ok).toBe(true);
    const changed = monotone.map((w, i) => (i === 0 ? { ...w, data: Float32Array.from(w.data, (v, j) => (j === 0 ? v + 1e-7 : v)) } : w));
    const r = recheckCertificate(changed, cert);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/not the ones certified/);
  });

  it('reports a certificate whose verdict the verifier does not reach again', () => {
    const flipped = monotone.map((w) => (w.name === 'dense1/w' ? { ...w, data: w.data.map((v) => -v) } : w));
    const r = recheckCertificate(flipped, { ...cert, weightsHash: hashWeights(flipped) });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/re-verification says falsified/);
  });

  it('round-trips an exported model file and names a bad field', () => {
    const file = verifiedModelFile({ service: 's', target: 'p99_us', inputs: ['a', 'b'], inputScaling: { min: [0, 0], max: [1, 1] }, targetScaling: { transform: 'log', min: 0, max: 1 }, weights: monotone, certificate: cert });
    const back = parseVerifiedModelFile(JSON.parse(JSON.stringify(file)));
    expect(hashWeights(back.weights.map((w) => ({ name: w.name, shape: w.shape, data: Float32Array.from(w.data) })))).toBe(cert.weightsHash);
    expect(() => parseVerifiedModelFile({ ...file, certificate: { ...cert, weightsHash: 'xyz' } })).toThrow(/certificate\.weightsHash/);
  });
});
