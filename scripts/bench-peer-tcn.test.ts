import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PeerTcn } from '../bench/engine-peer-tcn.ts';
import { BATCH, INPUTS, tcn4Forward, tcn4Weights, WINDOW } from '../bench/models-core.ts';
import { Sgd } from '../core/engine/optim.ts';
import { ParamSet } from '../core/ml/param-set.ts';
import { Rng } from '../core/ml/rng.ts';

// The bench's engine version of torch_peer.py's TCN computes what its tfjs version computes: the ratio rows compare
// the same network.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe("the bench's peer-shape TCN on the engine", () => {
  it("gives the tfjs model's outputs and, after one SGD step, its weights", () => {
    const rng = new Rng(4);
    const weights = tcn4Weights(rng);
    for (const w of weights) if (w.name.endsWith('/b')) w.data.set(w.data.map(() => rng.uniform(-0.2, 0.2)));
    const x = Float32Array.from({ length: BATCH * WINDOW * INPUTS }, () => rng.normal());
    const y = Float32Array.from({ length: BATCH }, () => rng.normal());
    const net = new PeerTcn(weights, INPUTS, BATCH, WINDOW);
    const p = new ParamSet(weights);
    const ref = tf.tidy(() => tcn4Forward(p, x, BATCH).dataSync() as Float32Array);
    const ours = net.predict(x, BATCH);
    for (let i = 0; i < BATCH; i++) expect(Math.abs(ours[i]! - ref[i]!)).toBeLessThan(1e-5);
    // One SGD step of the MSE on both sides: equal gradients give equal weights after it.
    const loss = net.trainStep(x, y, BATCH, new Sgd(0.1));
    const opt = tf.train.sgd(0.1);
    const refLoss = tf.tidy(() => opt.minimize(() => tf.losses.meanSquaredError(tf.tensor2d(y, [BATCH, 1]), tcn4Forward(p, x, BATCH)) as tf.Scalar, true, p.list())!.dataSync()[0]!);
    expect(Math.abs(loss - refLoss)).toBeLessThan(1e-5);
    const after = net.params.read();
    for (const w of after) {
      const r = p.get(w.name).dataSync();
      let worst = 0;
      for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(w.data[i]! - r[i]!));
      expect(worst, w.name).toBeLessThan(1e-5);
    }
    opt.dispose();
    p.dispose();
  });
});
