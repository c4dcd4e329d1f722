import { describe, expect, it } from 'vitest';
import { mae, rmse, skillScore, withSkill } from './metrics.ts';
import type { ForecastRow } from './types.ts';

describe('metrics', () => {
  it('computes RMSE and MAE by hand', () => {
    // errors 1, -2, 0, 3 → squares 1, 4, 0, 9 → mean 3.5
    expect(rmse([2, 0, 5, 7], [1, 2, 5, 4])).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(mae([2, 0, 5, 7], [1, 2, 5, 4])).toBeCloseTo(1.5, 12);
    expect(rmse([], [])).toBeNaN();
    expect(() => rmse([1], [1, 2])).toThrow();
  });

  it('scores skill against persistence', () => {
    expect(skillScore(0.5, 1)).toBeCloseTo(0.5);
    expect(skillScore(2, 1)).toBeCloseTo(-1);
    expect(skillScore(1, 0)).toBeNaN();
    const row = (model: string, rmseV: number, horizon = 1): ForecastRow => ({ model, horizon, history: 2, inputs: 'u', rmse: rmseV, mae: 0, valRmse: 0, n: 3 });
    const rows = withSkill([row('persistence', 0.4), row('ridge', 0.3), row('ridge', 0.1, 2)]);
    expect(rows[0]!.skill).toBe(0);
    expect(rows[1]!.skill).toBeCloseTo(0.25);
    expect(rows[2]!.skill).toBeUndefined(); // no persistence row at horizon 2
  });
});
