import { describe, expect, it } from 'vitest';
import { exp, log, log1p } from './det-math.ts';

/** Distance in units in the last place between two finite doubles of the same sign. */
function ulps(a: number, b: number): number {
  const v = new DataView(new ArrayBuffer(16));
  v.setFloat64(0, a);
  v.setFloat64(8, b);
  return Number(v.getBigInt64(0) - v.getBigInt64(8) < 0n ? v.getBigInt64(8) - v.getBigInt64(0) : v.getBigInt64(0) - v.getBigInt64(8));
}

// A seeded spread of arguments (the same every run).
function* args(n: number, lo: number, hi: number): Generator<number> {
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 16807) % 2147483647;
    yield lo + ((hi - lo) * s) / 2147483647;
  }
}

describe('deterministic exp, log, log1p', () => {
  it('exp is within 1 ulp of Math.exp over [−745, 709]', () => {
    let worst = 0;
    for (const x of [...args(200_000, -700, 709), ...args(50_000, -1, 1), ...args(10_000, -745, -700)]) {
      const want = Math.exp(x);
      if (want < 2.2250738585072014e-308) continue; // subnormal results: checked below by value
      worst = Math.max(worst, ulps(exp(x), want));
    }
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('exp: exact and special values', () => {
    expect(exp(0)).toBe(1);
    // fdlibm's own exp(1) is 1 ulp above e (Java's StrictMath.exp(1) is 2.7182818284590455 too).
    expect(ulps(exp(1), Math.E)).toBe(1);
    expect(exp(Math.LN2)).toBe(2);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(Number.NaN)).toBeNaN();
    expect(Math.abs(exp(-740) - Math.exp(-740)) / Math.exp(-740)).toBeLessThan(1e-6);
  });

  it('log is within 1 ulp of Math.log, subnormals included', () => {
    let worst = 0;
    for (const x of [...args(200_000, 1e-6, 1e6), ...args(50_000, 0.5, 2), ...args(10_000, 1e-300, 1e-290)]) worst = Math.max(worst, ulps(log(x), Math.log(x)));
    for (const x of [5e-324, 1e-310, 2.2250738585072014e-308, Number.MAX_VALUE]) worst = Math.max(worst, ulps(log(x), Math.log(x)));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('log: exact and special values', () => {
    expect(log(1)).toBe(0);
    expect(log(Math.E)).toBe(1);
    expect(log(2)).toBe(Math.LN2);
    expect(log(0)).toBe(-Infinity);
    expect(log(Infinity)).toBe(Infinity);
    expect(log(-1)).toBeNaN();
  });

  it('log1p keeps small arguments accurate (within 4 ulps of Math.log1p)', () => {
    let worst = 0;
    for (const x of [...args(100_000, -0.99, 10), ...args(50_000, -1e-8, 1e-8)]) worst = Math.max(worst, ulps(log1p(x), Math.log1p(x)));
    expect(worst).toBeLessThanOrEqual(4);
    expect(log1p(1e-300)).toBe(1e-300);
    expect(log1p(-1)).toBe(-Infinity);
  });
});
