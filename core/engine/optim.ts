import type { Params } from './params.ts';

export interface Optimizer {
  /** Applies the gradients in `p` to its values. */
  step(p: Params): void;
}

/**
 * Adam exactly as tf.train.adam computes it (bias corrections from running powers of β, ε added to √v̂, ε = 1e-7
 * as tfjs's float32 backends use), so the engine's loss curves follow the tfjs models'.
 */
export class Adam implements Optimizer {
  private t = 0;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon = 1e-7,
  ) {}

  step(p: Params): void {
    this.t++;
    const c1 = 1 / (1 - this.beta1 ** this.t);
    const c2 = 1 / (1 - this.beta2 ** this.t);
    p.arena.kernels.adam(p.total, p.base, this.learningRate, this.beta1, this.beta2, c1, c2, this.epsilon);
  }
}

/** Plain SGD with optional momentum. */
export class Sgd implements Optimizer {
  constructor(
    readonly learningRate: number,
    readonly momentum = 0,
  ) {}

  step(p: Params): void {
    const h = p.arena.f32;
    const n = p.total;
    const w = p.base;
    const g = w + n;
    const m = w + 2 * n;
    const lr = this.learningRate;
    if (this.momentum === 0) {
      for (let i = 0; i < n; i++) h[w + i]! -= lr * h[g + i]!;
      return;
    }
    for (let i = 0; i < n; i++) {
      const mi = this.momentum * h[m + i]! + h[g + i]!;
      h[m + i] = mi;
      h[w + i]! -= lr * mi;
    }
  }
}
