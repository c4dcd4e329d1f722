import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../collector-cli/src/node-backend.ts';
import { Rng } from '../ml/rng.ts';
import { evaluateForecaster, makeForecaster } from './grid.ts';
import { frameFromColumns } from './series.ts';
import { NeuralForecaster } from './neural.ts';
import { applySavedForecaster, parseSavedForecaster } from './saved-model.ts';
import { makeWindows } from './windows.ts';

beforeAll(async () => {
  // WASM as `tlab run` uses it; tfjs's pure-JS CPU backend is several times slower at these convolutions.
  await useNodeBackend('wasm');
});

/** A noisy period-12 wave: the value 3 steps ahead follows from the last few, which persistence cannot use. */
function wave(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, (_, t) => 2 + Math.sin((2 * Math.PI * t) / 12) + 0.05 * rng.normal());
}

describe('NeuralForecaster', () => {
  for (const model of ['lstm', 'tcn'] as const) {
    it(`${model} learns a periodic series far better than persistence and the mean, without leaking tensors`, async () => {
      const frame = frameFromColumns({ y: wave(240, 1) });
      const sets = makeWindows(frame, { targetId: 'y', inputIds: ['y'], horizon: 3, history: 12 });
      const before = tf.memory().numTensors;
      const neural = await evaluateForecaster(makeForecaster(model, { neural: { [model]: { epochs: 30, width: 16 } } }, 5), sets, 'y');
      const persistence = await evaluateForecaster(makeForecaster('persistence', {}, 5), sets, 'y');
      const mean = await evaluateForecaster(makeForecaster('mean', {}, 5), sets, 'y');
      expect(tf.memory().numTensors).toBe(before);
      expect(neural.row.rmse).toBeLessThan(0.5 * persistence.row.rmse);
      expect(neural.row.rmse).toBeLessThan(0.5 * mean.row.rmse);
      // Predictions come back in the target's unit, not normalised.
      expect(Math.abs(neural.testPred.reduce((a, b) => a + b, 0) / neural.testPred.length - 2)).toBeLessThan(0.3);
    }, 60_000);
  }

  it('the same seed gives the same forecasts', async () => {
    const frame = frameFromColumns({ y: wave(200, 2) });
    const sets = makeWindows(frame, { targetId: 'y', inputIds: ['y'], horizon: 2, history: 6 });
    const a = await evaluateForecaster(makeForecaster('tcn', { neural: { tcn: { epochs: 5 } } }, 9), sets, 'y');
    const b = await evaluateForecaster(makeForecaster('tcn', { neural: { tcn: { epochs: 5 } } }, 9), sets, 'y');
    expect(Array.from(a.testPred)).toEqual(Array.from(b.testPred));
  });

  it('saves to JSON and, loaded again, forecasts the same values on the bundle', async () => {
    const frame = frameFromColumns({ y: wave(160, 3), z: wave(160, 4) });
    const sets = makeWindows(frame, { targetId: 'y', inputIds: ['y', 'z'], horizon: 2, history: 5 });
    const f = makeForecaster('lstm', { neural: { lstm: { epochs: 3, width: 8 } } }, 4) as NeuralForecaster;
    const e = await evaluateForecaster(f, sets, 'y+z');
    const file = JSON.stringify(f.save({ bundle: 'wave', inputs: 'y+z', intervals: 160 }, { rmse: e.row.rmse, mae: e.row.mae, valRmse: e.row.valRmse }));
    const loaded = parseSavedForecaster(JSON.parse(file));
    const applied = await applySavedForecaster(loaded, frame);
    for (let i = 0; i < sets.test.n; i++) {
      const at = Array.from(applied.targetIndex).indexOf(sets.test.targetIndex[i]!);
      expect(applied.predicted[at]).toBeCloseTo(e.testPred[i]!, 4);
    }
    expect(() => parseSavedForecaster({ ...JSON.parse(file), weights: [{ name: 'x', shape: [2, 2], data: [1] }] })).toThrow(/weights\[0\]\.data: holds 1 values for shape \[2,2\]/);
    await expect(applySavedForecaster(loaded, frameFromColumns({ y: wave(40, 5) }))).rejects.toThrow(/lacks series the model was trained on: z/);
  });
});
