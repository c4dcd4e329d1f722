import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { fingerprint, normalise, PHASE_STATS } from './fingerprint.ts';

describe('phase fingerprints', () => {
  it('normalises as CWD eq. 7: |x − μ| / σ', () => {
    expect(Array.from(normalise([1, 3], 'cwd'))).toEqual([1, 1]);
    expect(Array.from(normalise([1, 3], 'zscore'))).toEqual([-1, 1]);
    expect(Array.from(normalise([2, 2, 2], 'cwd'))).toEqual([0, 0, 0]);
  });

  it('is counters × phases × statistics, zero-padded, with phases at the change points', () => {
    const rng = new Rng(2);
    const a = Array.from({ length: 60 }, (_, i) => (i < 30 ? 0 : 4) + 0.2 * rng.normal());
    const b = Array.from({ length: 60 }, () => 1 + 0.2 * rng.normal());
    const fp = fingerprint(new Map([['a', a], ['b', b]]), ['a', 'b'], { normalisation: 'zscore', changePoints: { method: 'pelt', params: { penalty: 15 } }, maxPhases: 4, adfLags: 0 });
    const K = PHASE_STATS.length;
    expect(fp.vector.length).toBe(2 * 4 * K);
    expect(fp.perCounter[0]!.changePoints).toEqual([30]);
    expect(fp.perCounter[1]!.changePoints).toEqual([]);
    // a's two phases: share 0.5 each; the rest zero.
    expect(fp.vector[K - 1]).toBeCloseTo(0.5, 12);
    expect(fp.vector[2 * K - 1]).toBeCloseTo(0.5, 12);
    expect(Array.from(fp.vector.subarray(2 * K, 4 * K)).every((v) => v === 0)).toBe(true);
    // a's first phase sits below its second (z-scored: about −1 and +1).
    expect(fp.vector[0]).toBeLessThan(-0.8);
    expect(fp.vector[K]).toBeGreaterThan(0.8);
  });

  it('merges phases beyond maxPhases into the last one', () => {
    const x = Array.from({ length: 80 }, (_, i) => [0, 5, 0, 5][Math.floor(i / 20)]!);
    const fp = fingerprint(new Map([['x', x]]), ['x'], { normalisation: 'none', changePoints: { method: 'pelt', params: { penalty: 5 } }, maxPhases: 2, adfLags: 0 });
    expect(fp.perCounter[0]!.changePoints).toEqual([20, 40, 60]);
    expect(fp.perCounter[0]!.phases.length).toBe(2);
    expect(fp.perCounter[0]!.phases[1]![PHASE_STATS.indexOf('share')]).toBeCloseTo(0.75, 12);
  });
});
