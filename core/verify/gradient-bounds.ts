import { backwardIntervals } from './linear-bounds.ts';
import type { ReluNet } from './relu-net.ts';

/**
 * Interval bounds on ∂f/∂x_i over a box, for every input i: interval bound propagation forward gives each hidden
 * neuron's pre-activation range (active, inactive, or unknown on the box); the gradient is then propagated
 * backward with each neuron's ReLU derivative as 1, 0, or the interval [0, 1]. Sound: every (sub)gradient at every
 * point of the box lies inside. This is Ouroboros's bound; the branch and bound in verify.ts tightens it by
 * splitting the box.
 */
export function gradientBounds(net: ReluNet, lo: ArrayLike<number>, hi: ArrayLike<number>): { lo: Float64Array; hi: Float64Array; unknownNeurons: number } {
  const masks: Int8Array[] = [];
  let aLo = Float64Array.from(lo);
  let aHi = Float64Array.from(hi);
  let unknownNeurons = 0;
  const L = net.layers.length;
  for (let l = 0; l + 1 < L; l++) {
    const layer = net.layers[l]!;
    const zLo = Float64Array.from(layer.b);
    const zHi = Float64Array.from(layer.b);
    for (let i = 0; i < layer.nIn; i++) {
      const vl = aLo[i]!;
      const vh = aHi[i]!;
      if (vl === 0 && vh === 0) continue;
      const row = i * layer.nOut;
      for (let j = 0; j < layer.nOut; j++) {
        const w = layer.w[row + j]!;
        if (w >= 0) {
          zLo[j]! += w * vl;
          zHi[j]! += w * vh;
        } else {
          zLo[j]! += w * vh;
          zHi[j]! += w * vl;
        }
      }
    }
    // 1: active on the whole box; 0: inactive; -1: unknown (the derivative is somewhere in [0, 1]).
    const mask = new Int8Array(layer.nOut);
    for (let j = 0; j < layer.nOut; j++) {
      mask[j] = zLo[j]! > 0 ? 1 : zHi[j]! <= 0 ? 0 : -1;
      if (mask[j] === -1) unknownNeurons++;
      zLo[j] = Math.max(0, zLo[j]!);
      zHi[j] = Math.max(0, zHi[j]!);
    }
    masks.push(mask);
    aLo = zLo;
    aHi = zHi;
  }
  // Backward: δ over the last hidden layer's outputs is the output weights, then through each mask and layer.
  const back = backwardIntervals(net, masks);
  return { lo: back.gLo, hi: back.gHi, unknownNeurons };
}
