import type { ForecastRow } from './types.ts';

/** Errors of a forecast, in the target's unit. Empty input gives NaN (nothing was scored). */

export function rmse(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  check(pred, actual);
  if (actual.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (pred[i]! - actual[i]!) ** 2;
  return Math.sqrt(s / actual.length);
}

export function mae(pred: ArrayLike<number>, actual: ArrayLike<number>): number {
  check(pred, actual);
  if (actual.length === 0) return Number.NaN;
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(pred[i]! - actual[i]!);
  return s / actual.length;
}

/**
 * Skill relative to persistence: 1 − RMSE / RMSE_persistence. 0 = as good as repeating the last value, 1 =
 * perfect, negative = worse than persistence. NaN when persistence is exact (nothing left to improve on) or unknown.
 */
export function skillScore(modelRmse: number, persistenceRmse: number): number {
  if (!(persistenceRmse > 0) || !Number.isFinite(modelRmse)) return Number.NaN;
  return 1 - modelRmse / persistenceRmse;
}

/**
 * Rows with `skill` filled from the persistence row of the same horizon, history and inputs. Rows of models
 * added later (the LSTM and TCN) get theirs by calling this on the whole table.
 */
export function withSkill(rows: readonly ForecastRow[], baseline = 'persistence'): ForecastRow[] {
  const key = (r: ForecastRow) => `${r.horizon}|${r.history}|${r.inputs}`;
  const base = new Map(rows.filter((r) => r.model === baseline).map((r) => [key(r), r.rmse]));
  return rows.map((r) => {
    const b = base.get(key(r));
    return b === undefined ? r : { ...r, skill: skillScore(r.rmse, b) };
  });
}

function check(pred: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (pred.length !== actual.length) throw new Error(`prediction and actual lengths differ: ${pred.length} vs ${actual.length}`);
}
