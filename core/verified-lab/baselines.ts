import { fitRidge } from '../forecast/ridge.ts';
import { wantedSign, type Direction } from '../verify/spec.ts';
import { fitIsotonic, predictIsotonic } from './isotonic.ts';

/** A baseline scored on the same split as the MLPs, on the scaled inputs and the normalised target. */
export interface BaselineModel {
  readonly name: string;
  readonly predict: (x: Float32Array, rows: number) => Float64Array;
  readonly monotone: 'verified' | 'falsified' | 'by construction';
  readonly note?: string;
}

// Enough to keep XᵀX invertible when an input is constant or one-hot columns are collinear; small against the data.
const RIDGE_LAMBDA = 1e-6;

/**
 * The training mean; least squares on every input (monotone exactly when each monotone input's coefficient has the
 * spec's sign, so its status is decided, not sampled); and isotonic regression on the main input — the monotone
 * input most rank-correlated with the target on the training rows (any input when none is monotone).
 */
export function fitBaselines(x: Float32Array, y: Float32Array, inputs: number, directions: readonly Direction[], spearmanOnTrain: readonly number[]): BaselineModel[] {
  const rows = y.length;
  let mean = 0;
  for (let i = 0; i < rows; i++) mean += y[i]!;
  mean /= rows;
  const linear = fitRidge(x, y, rows, inputs, RIDGE_LAMBDA);
  const wrong = directions.flatMap((d, i) => (wantedSign(d) !== 0 && linear.weights[i]! * wantedSign(d) < 0 ? [i] : []));
  const candidates = directions.map((d, i) => i).filter((i) => wantedSign(directions[i]!) !== 0);
  const pool = candidates.length > 0 ? candidates : directions.map((_, i) => i);
  const main = pool.reduce((best, i) => (Math.abs(spearmanOnTrain[i] ?? 0) > Math.abs(spearmanOnTrain[best] ?? 0) ? i : best), pool[0]!);
  const sign = wantedSign(directions[main]!) || (spearmanOnTrain[main]! >= 0 ? 1 : -1);
  const column = Float64Array.from({ length: rows }, (_, r) => x[r * inputs + main]!);
  const iso = fitIsotonic(column, y, sign > 0);
  const map = (f: (x: Float32Array, r: number) => number) => (xs: Float32Array, n: number) => Float64Array.from({ length: n }, (_, r) => f(xs, r));
  return [
    { name: 'mean of training latency', predict: map(() => mean), monotone: 'by construction' },
    {
      name: 'linear (least squares)',
      predict: map((xs, r) => {
        let s = linear.intercept;
        for (let d = 0; d < inputs; d++) s += linear.weights[d]! * xs[r * inputs + d]!;
        return s;
      }),
      monotone: wrong.length === 0 ? 'verified' : 'falsified',
      ...(wrong.length > 0 ? { note: `coefficients of the wrong sign on input${wrong.length > 1 ? 's' : ''} ${wrong.map((i) => i + 1).join(', ')}` } : {}),
    },
    { name: `isotonic on input ${main + 1}`, predict: map((xs, r) => predictIsotonic(iso, xs[r * inputs + main]!)), monotone: 'by construction', note: `${sign > 0 ? 'increasing' : 'decreasing'} step function of input ${main + 1} alone` },
  ];
}
