import { cholesky, choleskySolve } from './cholesky.ts';
import type { Examples, Forecaster } from './types.ts';

/**
 * Ridge regression in closed form: β = (XᵀX + λI)⁻¹Xᵀy, solved by Cholesky. The intercept is not penalised:
 * X and y are centred on their training means, β is solved on the centred data and the intercept is
 * ȳ − x̄ᵀβ, which is exactly the minimiser of ‖y − b − Xβ‖² + λ‖β‖² over b and β.
 * With more features than examples (long histories × many inputs) the p×p system is replaced by the n×n dual
 * one, β = Xᵀ(XXᵀ + λI)⁻¹y, which has the same solution for λ > 0 and costs O(n³) instead of O(p³).
 */

export interface RidgeFit {
  readonly weights: Float64Array;
  readonly intercept: number;
  /** The λ actually used: raised by a tiny jitter only when the system was singular (λ = 0 on collinear data). */
  readonly lambda: number;
}

/** Fits y ≈ intercept + x·weights for row-major x [n × p]. */
export function fitRidge(x: ArrayLike<number>, y: ArrayLike<number>, n: number, p: number, lambda: number): RidgeFit {
  if (!(lambda >= 0)) throw new Error(`lambda must be ≥ 0, got ${lambda}`);
  if (x.length !== n * p || y.length < n) throw new Error(`x must hold ${n}×${p} values and y ${n}`);
  if (n === 0) return { weights: new Float64Array(p), intercept: 0, lambda };
  const xMean = new Float64Array(p);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += y[i]!;
    for (let j = 0; j < p; j++) xMean[j]! += x[i * p + j]!;
  }
  yMean /= n;
  for (let j = 0; j < p; j++) xMean[j]! /= n;
  const xc = new Float64Array(n * p);
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yc[i] = y[i]! - yMean;
    for (let j = 0; j < p; j++) xc[i * p + j] = x[i * p + j]! - xMean[j]!;
  }

  const dual = p > n;
  const m = dual ? n : p;
  // Gram matrix: XᵀX (p×p) or XXᵀ (n×n), lower triangle mirrored.
  const gram = new Float64Array(m * m);
  if (dual) {
    for (let a = 0; a < n; a++) {
      for (let b = 0; b <= a; b++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += xc[a * p + j]! * xc[b * p + j]!;
        gram[a * m + b] = gram[b * m + a] = s;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const row = i * p;
      for (let a = 0; a < p; a++) {
        const va = xc[row + a]!;
        if (va === 0) continue;
        for (let b = 0; b <= a; b++) gram[a * m + b]! += va * xc[row + b]!;
      }
    }
    for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) gram[b * m + a] = gram[a * m + b]!;
  }
  const rhs = new Float64Array(m);
  if (dual) rhs.set(yc);
  else for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) rhs[j]! += xc[i * p + j]! * yc[i]!;

  let trace = 0;
  for (let a = 0; a < m; a++) trace += gram[a * m + a]!;
  let lam = lambda;
  let jitter = Math.max(1e-12, (1e-10 * trace) / m);
  for (let attempt = 0; attempt < 12; attempt++) {
    const sys = Float64Array.from(gram);
    for (let a = 0; a < m; a++) sys[a * m + a]! += lam;
    const l = cholesky(sys, m);
    if (l) {
      const sol = choleskySolve(l, m, rhs);
      let weights = sol;
      if (dual) {
        weights = new Float64Array(p);
        for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) weights[j]! += xc[i * p + j]! * sol[i]!;
      }
      let intercept = yMean;
      for (let j = 0; j < p; j++) intercept -= xMean[j]! * weights[j]!;
      return { weights, intercept, lambda: lam };
    }
    // Singular (λ = 0 with collinear or constant features): the smallest ridge that makes it solvable.
    lam = lambda + jitter;
    jitter *= 10;
  }
  throw new Error('ridge: the normal equations could not be factorised');
}

export interface RidgeSettings {
  /**
   * Penalty on the weights of the (z-scored) inputs. Default 'auto': each of `LAMBDA_GRID` is fitted on the
   * training examples and the one with the lowest validation RMSE is kept (validation chooses, it never fits
   * weights; without validation examples λ = 1). Long histories of many inputs give far more weights than
   * training examples, where a fixed small λ overfits badly.
   */
  readonly lambda?: number | 'auto';
}

export const LAMBDA_GRID: readonly number[] = [0.01, 0.1, 1, 10, 100, 1000, 10000];

/** Ridge over the flattened input window [k × features]. */
export class Ridge implements Forecaster {
  readonly name = 'ridge';
  private model: RidgeFit | null = null;

  constructor(private readonly settings: RidgeSettings = {}) {}

  fit(train: Examples, val?: Examples): void {
    const p = train.layout.history * train.layout.features;
    const setting = this.settings.lambda ?? 'auto';
    if (setting !== 'auto') {
      this.model = fitRidge(train.x, train.y, train.n, p, setting);
      return;
    }
    if (!val || val.n === 0) {
      this.model = fitRidge(train.x, train.y, train.n, p, 1);
      return;
    }
    let best: { fit: RidgeFit; err: number } | null = null;
    for (const lambda of LAMBDA_GRID) {
      const fit = fitRidge(train.x, train.y, train.n, p, lambda);
      const pred = predictRidge(fit, val);
      let ss = 0;
      for (let e = 0; e < val.n; e++) ss += (pred[e]! - val.y[e]!) ** 2;
      if (!best || ss < best.err) best = { fit, err: ss };
    }
    this.model = best!.fit;
  }

  predict(set: Examples): Float32Array {
    if (!this.model) throw new Error('ridge: predict before fit');
    return predictRidge(this.model, set);
  }

  /** The fitted weights, intercept and λ (the chosen one with 'auto'). */
  get fitted(): RidgeFit | null {
    return this.model;
  }
}

function predictRidge(m: RidgeFit, set: Examples): Float32Array {
  const p = m.weights.length;
  const out = new Float32Array(set.n);
  for (let e = 0; e < set.n; e++) {
    let s = m.intercept;
    for (let j = 0; j < p; j++) s += set.x[e * p + j]! * m.weights[j]!;
    out[e] = s;
  }
  return out;
}
