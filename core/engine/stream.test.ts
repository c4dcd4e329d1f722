import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { initialWeights, type SequenceModelConfig } from '../ml/sequence-config.ts';
import { streamingModel } from '../ml/stream.ts';
import { KERNEL_NAMES, kernelAvailable } from './kernels.ts';
import { engineStreamingModel } from './stream.ts';

const configs: SequenceModelConfig[] = [
  { kind: 'lstm', inputSize: 10, embed: 6, units: 8, layers: 2, outputs: 5 },
  { kind: 'tcn', inputSize: 10, embed: 8, filters: 8, kernel: 3, dilations: [1, 2, 4], outputs: 5 },
];

describe.each(KERNEL_NAMES.filter(kernelAvailable))('engine streaming inference (%s kernels)', (kernel) => {
  for (const c of configs) {
    it(`${c.kind}: every step equals the plain-JS streaming model, across a reset`, () => {
      const rng = new Rng(9);
      const w = initialWeights(c, rng.fork());
      const ours = engineStreamingModel(c, w, kernel);
      const ref = streamingModel(c, w);
      for (const run of [0, 1]) {
        ours.reset();
        ref.reset();
        for (let t = 0; t < 30; t++) {
          // One-hot-like inputs with a few dense features, as the scheduling lab feeds.
          const x = new Float32Array(c.inputSize);
          x[rng.int(6)] = 1;
          for (let i = 6; i < c.inputSize; i++) x[i] = rng.normal();
          const a = ours.step(x);
          const b = ref.step(x);
          for (let o = 0; o < c.outputs; o++) expect(Math.abs(a[o]! - b[o]!), `run ${run} step ${t}`).toBeLessThan(1e-5);
        }
      }
    });
  }
});
