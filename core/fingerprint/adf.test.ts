import { describe, expect, it } from 'vitest';
import { adfStatistic } from './adf.ts';

// The same LCG in Python produced the reference statistics with statsmodels 0.13.5 (Debian python3-statsmodels):
//   adfuller(y, maxlag=p, autolag=None, regression='c')[0]
function lcgSeries(n: number, seed: number, phi: number): number[] {
  const y = [0];
  let s = BigInt(seed);
  for (let t = 1; t < n; t++) {
    s = (s * 1103515245n + 12345n) % 2147483648n;
    y.push(phi * y[t - 1]! + (Number(s) / 2147483648 - 0.5));
  }
  return y;
}
const wave = Array.from({ length: 60 }, (_, t) => Math.sin(0.3 * t) + 0.1 * (((t * 7919) % 13) - 6));

const REF: [string, number, number, number[]][] = [
  ['random walk, 200', 0, -1.9296984677823172, lcgSeries(200, 12345, 1)],
  ['random walk, 200', 1, -1.9664240001713051, lcgSeries(200, 12345, 1)],
  ['random walk, 200', 3, -1.791356405705089, lcgSeries(200, 12345, 1)],
  ['AR(1) φ=0.5, 200', 0, -8.142813168708631, lcgSeries(200, 777, 0.5)],
  ['AR(1) φ=0.5, 200', 1, -7.733883459586327, lcgSeries(200, 777, 0.5)],
  ['AR(1) φ=0.5, 200', 3, -5.904483989839318, lcgSeries(200, 777, 0.5)],
  ['sine + pattern, 60', 0, -2.28264341234138, wave],
  ['sine + pattern, 60', 1, -2.402039316694385, wave],
  ['sine + pattern, 60', 3, -2.571638659134349, wave],
];

describe('augmented Dickey–Fuller statistic', () => {
  it.each(REF)('%s, lag %i: %f as statsmodels adfuller gives', (_name, lag, want, y) => {
    expect(adfStatistic(y, lag)).toBeCloseTo(want, 9);
  });

  it('separates a random walk (unit root kept) from white noise (rejected at 1 %: below −3.46 for n = 200)', () => {
    expect(adfStatistic(lcgSeries(200, 12345, 1), 1)).toBeGreaterThan(-2.88);
    expect(adfStatistic(lcgSeries(200, 99, 0), 1)).toBeLessThan(-3.46);
  });

  it('is NaN for too-short or constant phases', () => {
    expect(adfStatistic([1, 2, 3], 0)).toBeNaN();
    expect(adfStatistic(new Array(20).fill(5), 0)).toBeNaN();
  });
});
