import type { Rng } from './rng.ts';
import { glorotUniform, zeros, type WeightData } from './weights.ts';

/**
 * Sequence models over windows [batch, time, features] that output one vector (class logits, or a regression
 * value) from the last time step: their configurations and seeded initial weights, shared by the two
 * implementations — core/engine (hand-written, the CPU path) and sequence-model.ts (TensorFlow.js, the GPU path) —
 * which take the same weights by name and compute the same outputs.
 */
export type SequenceModelConfig = LstmConfig | TcnConfig;

interface Common {
  /** Features per time step. */
  readonly inputSize: number;
  /** A linear projection of the inputs first (an embedding when the inputs are one-hot). */
  readonly embed: number;
  /** Outputs of the last step: classes (logits) or 1 for regression. */
  readonly outputs: number;
}

export interface LstmConfig extends Common {
  readonly kind: 'lstm';
  readonly units: number;
  readonly layers: number;
}

export interface TcnConfig extends Common {
  readonly kind: 'tcn';
  readonly filters: number;
  readonly kernel: number;
  /** One residual block (two causal convolutions) per dilation. */
  readonly dilations: readonly number[];
}

/** How many past steps the last output of a TCN can see (itself included). */
export function tcnReceptiveField(c: Pick<TcnConfig, 'kernel' | 'dilations'>): number {
  return 1 + 2 * (c.kernel - 1) * c.dilations.reduce((a, b) => a + b, 0);
}

export function describeModel(c: SequenceModelConfig): string {
  return c.kind === 'lstm'
    ? `LSTM ${c.layers}×${c.units} (embed ${c.embed})`
    : `TCN ${c.dilations.length} blocks × ${c.filters} filters, kernel ${c.kernel}, dilations ${c.dilations.join('-')} (receptive field ${tcnReceptiveField(c)})`;
}

export function initialWeights(c: SequenceModelConfig, rng: Rng): WeightData[] {
  const w: WeightData[] = [];
  const dense = (name: string, fanIn: number, fanOut: number, bias = 0) => {
    w.push({ name: `${name}/w`, shape: [fanIn, fanOut], data: glorotUniform(rng, fanIn, fanOut) });
    w.push({ name: `${name}/b`, shape: [fanOut], data: zeros(fanOut, bias) });
  };
  dense('embed', c.inputSize, c.embed);
  if (c.kind === 'lstm') {
    let inSize = c.embed;
    for (let l = 0; l < c.layers; l++) {
      const h = c.units;
      w.push({ name: `lstm${l}/w`, shape: [inSize, 4 * h], data: glorotUniform(rng, inSize, 4 * h) });
      w.push({ name: `lstm${l}/u`, shape: [h, 4 * h], data: glorotUniform(rng, h, 4 * h) });
      // Gate order i, f, g, o (as PyTorch); a forget-gate bias of 1 keeps early gradients alive.
      const b = zeros(4 * h);
      b.fill(1, h, 2 * h);
      w.push({ name: `lstm${l}/b`, shape: [4 * h], data: b });
      inSize = h;
    }
    dense('head', c.units, c.outputs);
  } else {
    const f = c.filters;
    if (c.embed !== f) throw new Error(`TCN embed (${c.embed}) must equal its filters (${f}) for the residual connections`);
    c.dilations.forEach((_, l) => {
      w.push({ name: `tcn${l}/w1`, shape: [c.kernel * f, f], data: glorotUniform(rng, c.kernel * f, f) });
      w.push({ name: `tcn${l}/b1`, shape: [f], data: zeros(f) });
      w.push({ name: `tcn${l}/w2`, shape: [c.kernel * f, f], data: glorotUniform(rng, c.kernel * f, f) });
      w.push({ name: `tcn${l}/b2`, shape: [f], data: zeros(f) });
    });
    dense('head', f, c.outputs);
  }
  return w;
}
