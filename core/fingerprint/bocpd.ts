import { logGamma, logSumExp } from './math.ts';
import { exp, log, log1p } from '../numeric/det-math.ts';
import { sq } from './math.ts';

/**
 * Online Bayesian change point detection (Adams & MacKay 2007, "Bayesian Online Changepoint Detection") for one
 * series: a Gaussian with unknown mean and precision under a normal-gamma prior, so each run's predictive is a
 * Student-t; a constant hazard 1/λ; the run-length posterior kept in log space and truncated to the most
 * probable `maxRunLength` run lengths (the rest of the mass is dropped and the rest renormalised).
 *
 * Convention: after x_t, run length r means x_t is preceded by r points of its own segment, so r = 0 says x_t
 * starts a new segment (its predictive is then the prior's). The posterior over r_t given x_1..x_t is
 *   p(r_t = 0)     ∝ H · π_prior(x_t) · Σ_r p(r_{t−1} = r)
 *   p(r_t = r + 1) ∝ (1 − H) · π_r(x_t) · p(r_{t−1} = r)
 * with π_r the Student-t predictive of the normal-gamma posterior after the run's last r points. The first point
 * always starts a segment. Segment starts are read off by backtracking the most probable run lengths from the
 * end: the last segment starts at n − 1 − r*_{n−1}, the one before it ends there, and so on.
 */
export interface BocpdParams {
  /** Expected segment length λ (hazard 1/λ). */
  readonly lambda: number;
  /** Normal-gamma prior: mean μ0, pseudo-count κ0, shape α0, rate β0. */
  readonly mu0: number;
  readonly kappa0: number;
  readonly alpha0: number;
  readonly beta0: number;
  /** Run lengths kept after each step (the most probable ones). */
  readonly maxRunLength: number;
  /** Segments shorter than this are merged into the one before (1 = keep all). */
  readonly minSegment: number;
}

export const DEFAULT_BOCPD: BocpdParams = { lambda: 50, mu0: 0, kappa0: 1, alpha0: 1, beta0: 1, maxRunLength: 200, minSegment: 3 };

export interface BocpdResult {
  /** Start index of every segment after the first (sorted, each in 1..n−1). */
  readonly changePoints: number[];
  /** Most probable run length after each point. */
  readonly mapRunLength: Int32Array;
  /** Posterior probability that x_t starts a new segment, p(r_t = 0 | x_1..x_t). */
  readonly cpProbability: Float64Array;
}

/** log density of a Student-t with ν degrees of freedom, location μ, squared scale s2. */
export function studentTLogPdf(x: number, nu: number, mu: number, s2: number): number {
  const z = ((x - mu) * (x - mu)) / (nu * s2);
  return gammaTerm(nu) - 0.5 * log(nu * Math.PI * s2) - ((nu + 1) / 2) * log1p(z);
}

// log Γ((ν+1)/2) − log Γ(ν/2): ν = 2α0 + run length takes few values, so it is cached (the same number either way).
const gammaCache = new Map<number, number>();
function gammaTerm(nu: number): number {
  let v = gammaCache.get(nu);
  if (v === undefined) {
    v = logGamma((nu + 1) / 2) - logGamma(nu / 2);
    if (gammaCache.size > 100_000) gammaCache.clear();
    gammaCache.set(nu, v);
  }
  return v;
}

/** Run-length posteriors for every prefix, as log probabilities indexed by run length (for tests and charts). */
export function bocpd(x: ArrayLike<number>, params: Partial<BocpdParams> = {}): BocpdResult & { logPosteriors?: Map<number, number>[] } {
  return run(x, { ...DEFAULT_BOCPD, ...params }, false);
}

/** Same as `bocpd`, also returning each step's full log posterior (run length → log p). */
export function bocpdWithPosteriors(x: ArrayLike<number>, params: Partial<BocpdParams> = {}): BocpdResult & { logPosteriors: Map<number, number>[] } {
  return run(x, { ...DEFAULT_BOCPD, ...params }, true) as BocpdResult & { logPosteriors: Map<number, number>[] };
}

function run(x: ArrayLike<number>, p: BocpdParams, keep: boolean): BocpdResult & { logPosteriors?: Map<number, number>[] } {
  const n = x.length;
  const logH = log(1 / p.lambda);
  const log1mH = log1p(-1 / p.lambda);
  const cap = Math.max(1, Math.floor(p.maxRunLength));
  // Active runs: run length and normal-gamma posterior after the run's points; log joint probability.
  let rl: number[] = [];
  let mu: number[] = [];
  let ka: number[] = [];
  let al: number[] = [];
  let be: number[] = [];
  let lp: number[] = [];
  const mapRun = new Int32Array(n);
  const cpProb = new Float64Array(n);
  const posts: Map<number, number>[] = [];
  const priorPred = (v: number) => studentTLogPdf(v, 2 * p.alpha0, p.mu0, (p.beta0 * (p.kappa0 + 1)) / (p.alpha0 * p.kappa0));
  for (let t = 0; t < n; t++) {
    const v = x[t]!;
    const nrl: number[] = [0];
    const nlp: number[] = [t === 0 ? priorPred(v) : logH + priorPred(v) + logSumExp(lp)];
    const nmu = [p.mu0];
    const nka = [p.kappa0];
    const nal = [p.alpha0];
    const nbe = [p.beta0];
    // x_t joins each active run: its predictive, then its posterior after x_t.
    for (let i = 0; i < rl.length; i++) {
      const s2 = (be[i]! * (ka[i]! + 1)) / (al[i]! * ka[i]!);
      nlp.push(lp[i]! + log1mH + studentTLogPdf(v, 2 * al[i]!, mu[i]!, s2));
      nrl.push(rl[i]! + 1);
      nmu.push(mu[i]!);
      nka.push(ka[i]!);
      nal.push(al[i]!);
      nbe.push(be[i]!);
    }
    // Every run now includes x_t: update its normal-gamma posterior (the new run's prior too).
    for (let i = 0; i < nrl.length; i++) {
      const k = nka[i]!;
      nbe[i] = nbe[i]! + (k * sq(v - nmu[i]!)) / (2 * (k + 1));
      nmu[i] = (k * nmu[i]! + v) / (k + 1);
      nka[i] = k + 1;
      nal[i] = nal[i]! + 0.5;
    }
    const z = logSumExp(nlp);
    for (let i = 0; i < nlp.length; i++) nlp[i] = nlp[i]! - z;
    // Truncate: keep the `cap` most probable run lengths, renormalised.
    // One run length is added per step, so at most one is over the cap: drop the least probable (the longest on a tie).
    let order = nlp.map((_, i) => i);
    while (order.length > cap) {
      let worst = 0;
      for (let k = 1; k < order.length; k++) if (nlp[order[k]!]! <= nlp[order[worst]!]!) worst = k;
      order.splice(worst, 1);
      const zz = logSumExp(order.map((i) => nlp[i]!));
      for (const i of order) nlp[i] = nlp[i]! - zz;
    }
    rl = order.map((i) => nrl[i]!);
    lp = order.map((i) => nlp[i]!);
    mu = order.map((i) => nmu[i]!);
    ka = order.map((i) => nka[i]!);
    al = order.map((i) => nal[i]!);
    be = order.map((i) => nbe[i]!);
    let best = 0;
    for (let i = 1; i < lp.length; i++) if (lp[i]! > lp[best]!) best = i;
    mapRun[t] = rl[best]!;
    cpProb[t] = rl[0] === 0 ? exp(lp[0]!) : 0;
    if (keep) posts.push(new Map(rl.map((r, i) => [r, lp[i]!])));
  }
  // Backtrack the most probable run lengths from the end.
  const starts: number[] = [];
  let t = n - 1;
  while (t > 0) {
    const s = Math.max(0, t - mapRun[t]!);
    if (s > 0) starts.push(s);
    t = s - 1;
  }
  starts.reverse();
  const changePoints = mergeShort(starts, n, Math.max(1, p.minSegment));
  return keep ? { changePoints, mapRunLength: mapRun, cpProbability: cpProb, logPosteriors: posts } : { changePoints, mapRunLength: mapRun, cpProbability: cpProb };
}

/** Drops change points that would leave a segment shorter than `min` (the short segment joins the one before). */
export function mergeShort(starts: readonly number[], n: number, min: number): number[] {
  const out: number[] = [];
  let prev = 0;
  for (const s of starts) {
    if (s - prev >= min && n - s >= min) {
      out.push(s);
      prev = s;
    }
  }
  return out;
}

/** Log marginal likelihood of a whole segment under the normal-gamma prior (closed form; used by tests). */
export function segmentLogMarginal(x: ArrayLike<number>, p: Pick<BocpdParams, 'mu0' | 'kappa0' | 'alpha0' | 'beta0'>): number {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i]!;
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += sq(x[i]! - m);
  const kn = p.kappa0 + n;
  const an = p.alpha0 + n / 2;
  const bn = p.beta0 + 0.5 * ss + (p.kappa0 * n * sq(m - p.mu0)) / (2 * kn);
  return logGamma(an) - logGamma(p.alpha0) + p.alpha0 * log(p.beta0) - an * log(bn) + 0.5 * log(p.kappa0 / kn) - (n / 2) * log(2 * Math.PI);
}
