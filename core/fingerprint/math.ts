/** Small numeric helpers shared by the fingerprint lab's algorithms (exp and log deterministic: core/numeric/det-math.ts). */
import { exp, log } from '../numeric/det-math.ts';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * log(2 * Math.PI) + (x + 0.5) * log(t) - t + log(a);
}

/** log(Σ exp(v)) without overflow; −Infinity for an empty or all −Infinity input. */
export function logSumExp(v: ArrayLike<number>, n = v.length): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (v[i]! > m) m = v[i]!;
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += exp(v[i]! - m);
  return m + log(s);
}

export function mean(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return v.length ? s / v.length : 0;
}

/** Population variance (divides by n). */
export function variance(v: ArrayLike<number>): number {
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += sq(v[i]! - m);
  return v.length ? s / v.length : 0;
}

/** Sample standard deviation (divides by n − 1; 0 for fewer than 2 values). */
export function sampleStd(v: ArrayLike<number>): number {
  if (v.length < 2) return 0;
  const m = mean(v);
  let s = 0;
  for (let i = 0; i < v.length; i++) s += sq(v[i]! - m);
  return Math.sqrt(s / (v.length - 1));
}

/** Quantile with linear interpolation between order statistics (numpy's default, type 7). */
export function quantile(v: ArrayLike<number>, q: number): number {
  if (v.length === 0) return 0;
  const s = Float64Array.from(v).sort();
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

/** x², as a product: `x ** 2` goes through the engine's pow, whose last bit may differ between engines. */
export function sq(x: number): number {
  return x * x;
}
