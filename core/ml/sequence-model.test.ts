import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';
import { initialWeights, tcnReceptiveField, type SequenceModelConfig } from './sequence-config.ts';
import { forward } from './sequence-model.ts';
import { streamingModel } from './stream.ts';
import { topK, trainClassifier, type WindowSource } from './train.ts';
import { ParamSet } from './param-set.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const lstm: SequenceModelConfig = { kind: 'lstm', inputSize: 6, embed: 5, units: 7, layers: 2, outputs: 4 };
const tcn: SequenceModelConfig = { kind: 'tcn', inputSize: 6, embed: 5, filters: 5, kernel: 3, dilations: [1, 2], outputs: 4 };

function randomInputs(rng: Rng, steps: number, size: number): Float32Array {
  const x = new Float32Array(steps * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.next() < 0.3 ? 0 : rng.normal();
  return x;
}

function batchLogits(c: SequenceModelConfig, seed: number, x: Float32Array, steps: number): Float32Array {
  const p = new ParamSet(initialWeights(c, new Rng(seed)));
  const out = tf.tidy(() => forward(c, p, { x, batch: 1, time: steps }).dataSync() as Float32Array);
  p.dispose();
  return out;
}

describe('sequence models', () => {
  it('the same seed gives the same weights; another seed does not', () => {
    const a = initialWeights(lstm, new Rng(3));
    const b = initialWeights(lstm, new Rng(3));
    const c = initialWeights(lstm, new Rng(4));
    expect(a.map((w) => Array.from(w.data))).toEqual(b.map((w) => Array.from(w.data)));
    expect(Array.from(a[0]!.data)).not.toEqual(Array.from(c[0]!.data));
  });

  it('the TCN is causal: changing inputs after step t leaves the output at t alone', () => {
    const rng = new Rng(1);
    const steps = 12;
    const x = randomInputs(rng, steps, tcn.inputSize);
    // Output at step 7 = last step of the 8-step prefix; the full window's last step must differ when step 11 changes.
    const prefix = batchLogits(tcn, 9, x.slice(0, 8 * tcn.inputSize), 8);
    const y = x.slice();
    y.fill(5, 8 * tcn.inputSize);
    const prefixAgain = batchLogits(tcn, 9, y.slice(0, 8 * tcn.inputSize), 8);
    expect(Array.from(prefixAgain)).toEqual(Array.from(prefix));
    expect(Array.from(batchLogits(tcn, 9, y, steps))).not.toEqual(Array.from(batchLogits(tcn, 9, x, steps)));
  });

  it('the TCN sees exactly its receptive field', () => {
    const rng = new Rng(2);
    const field = tcnReceptiveField(tcn); // 1 + 2·2·(1+2) = 13
    expect(field).toBe(13);
    const steps = field + 3;
    const x = randomInputs(rng, steps, tcn.inputSize);
    const base = batchLogits(tcn, 5, x, steps);
    // The first step inside the field changes the output; the last step outside it does not.
    const inside = x.slice();
    inside[(steps - field) * tcn.inputSize] = 9;
    const outside = x.slice();
    outside[(steps - field - 1) * tcn.inputSize] = 9;
    expect(Array.from(batchLogits(tcn, 5, inside, steps))).not.toEqual(Array.from(base));
    expect(Array.from(batchLogits(tcn, 5, outside, steps))).toEqual(Array.from(base));
  });

  for (const c of [lstm, tcn]) {
    it(`${c.kind}: streaming one step at a time gives the window model's outputs`, () => {
      const rng = new Rng(7);
      const steps = 20;
      const x = randomInputs(rng, steps, c.inputSize);
      const weights = initialWeights(c, new Rng(11));
      const stream = streamingModel(c, weights);
      for (const end of [1, 5, 20]) {
        stream.reset();
        let last: Float32Array = new Float32Array();
        for (let t = 0; t < end; t++) last = stream.step(x.subarray(t * c.inputSize, (t + 1) * c.inputSize));
        const expected = batchLogits(c, 11, x.slice(0, end * c.inputSize), end);
        for (let j = 0; j < c.outputs; j++) expect(last[j]).toBeCloseTo(expected[j]!, 4);
      }
    });
  }
});

/** Windows of a repeating pattern 0,1,2,0,1,2...: the class after a window is determined by its last step. */
function patternSource(count: number, window: number, classes: number, rng: Rng): WindowSource {
  const starts = Int32Array.from({ length: count }, () => rng.int(classes));
  return {
    count,
    window,
    batch(indices, allSteps) {
      const x = new Float32Array(indices.length * window * classes);
      const y = new Int32Array(indices.length * (allSteps ? window : 1));
      for (let b = 0; b < indices.length; b++) {
        const s = starts[indices[b]!]!;
        for (let t = 0; t < window; t++) x[(b * window + t) * classes + ((s + t) % classes)] = 1;
        if (allSteps) for (let t = 0; t < window; t++) y[b * window + t] = t === 2 ? -1 : (s + t + 1) % classes;
        else y[b] = (s + window) % classes;
      }
      return { x, y };
    },
  };
}

describe('trainClassifier', () => {
  for (const [kind, allSteps] of [['lstm', false], ['tcn', false], ['lstm', true], ['tcn', true]] as const) {
    it(`${kind}${allSteps ? ' (every step)' : ''} learns a cyclic sequence, keeps tensors flat and stops early on validation`, async () => {
      const classes = 3;
      const c: SequenceModelConfig =
        kind === 'lstm'
          ? { kind, inputSize: classes, embed: 4, units: 8, layers: 1, outputs: classes }
          : { kind, inputSize: classes, embed: 8, filters: 8, kernel: 2, dilations: [1, 2], outputs: classes };
      const rng = new Rng(1);
      const train = patternSource(96, 6, classes, rng);
      const val = patternSource(30, 6, classes, rng);
      const before = tf.memory().numTensors;
      const tensorsPerEpoch: number[] = [];
      const result = await trainClassifier(c, initialWeights(c, new Rng(2)), train, val, {
        epochs: 40,
        batchSize: 16,
        learningRate: 0.05,
        patience: 3,
        allSteps,
        rng: new Rng(3),
        onProgress: (p) => {
          if (p.epochDone) tensorsPerEpoch.push(tf.memory().numTensors);
        },
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(new Set(tensorsPerEpoch).size).toBe(1);
      const best = result.history[result.bestEpoch - 1]!;
      expect(best.valTop1).toBe(1);
      expect(result.history[0]!.trainLoss).toBeGreaterThan(best.trainLoss);
      // Validation loss this separable keeps falling; early stopping only ends it when it stalls.
      expect(result.history.length).toBeLessThanOrEqual(40);
    });
  }

  it('topK orders classes by logit and never repeats one', () => {
    const logits = Float32Array.from([0.1, 2, -1, 2.5, 0, 0, 1, 0]);
    expect(Array.from(topK(logits, 4, 0, 3))).toEqual([3, 1, 0]);
    expect(Array.from(topK(logits, 4, 1, 2))).toEqual([2, 0]);
    expect(Array.from(topK(logits, 4, 0, 9))).toEqual([3, 1, 0, 2]);
  });
});
