import type { Rng } from '../ml/rng.ts';
import { glorotUniform, zeros, type WeightData } from '../ml/weights.ts';
import { Arena } from './arena.ts';
import type { KernelName } from './kernels.ts';
import { meanSquaredError } from './losses.ts';
import { denseBackward, denseForward, reluBackwardInPlace, reluInPlace, transpose } from './ops.ts';
import type { Optimizer } from './optim.ts';
import { Params } from './params.ts';

/** A ReLU multilayer perceptron with a linear output (vPALs' latency models: 2–3 hidden layers of 300–512). */
export interface MlpConfig {
  readonly inputs: number;
  readonly hidden: readonly number[];
  readonly outputs: number;
}

export function mlpInitialWeights(c: MlpConfig, rng: Rng): WeightData[] {
  const sizes = [c.inputs, ...c.hidden, c.outputs];
  const w: WeightData[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    w.push({ name: `dense${l}/w`, shape: [fanIn, fanOut], data: glorotUniform(rng, fanIn, fanOut) });
    w.push({ name: `dense${l}/b`, shape: [fanOut], data: zeros(fanOut) });
  }
  return w;
}

/**
 * Pairs the model should order: for every pair, f(hi) ≥ f(lo) (hi is lo with some monotone inputs raised). The
 * penalty is weight · mean over pairs and outputs of max(0, f(lo) − f(hi) + margin): a hinge that is zero once
 * every pair is ordered by at least the margin — what counterexample-guided retraining adds its counterexamples to.
 */
export interface MonotonePairs {
  readonly lo: Float32Array;
  readonly hi: Float32Array;
  readonly count: number;
  readonly weight: number;
  readonly margin?: number;
}

export interface MlpLoss {
  /** mse + penalty. */
  readonly loss: number;
  readonly mse: number;
  readonly penalty: number;
  /** Pairs with f(lo) − f(hi) + margin > 0. */
  readonly violated: number;
}

export class Mlp {
  readonly arena: Arena;
  readonly params: Params;
  private readonly sizes: number[];
  /** Layer l's input block [maxRows × sizes[l]]; acts[L] is the output. */
  private readonly acts: number[];
  private readonly grads: number[];
  private readonly wT: number[];

  constructor(
    readonly config: MlpConfig,
    weights: readonly WeightData[],
    readonly maxRows: number,
    kernel?: KernelName,
  ) {
    const A = (this.arena = new Arena(kernel));
    this.sizes = [config.inputs, ...config.hidden, config.outputs];
    this.params = new Params(A, weights.map((w) => ({ name: w.name, shape: w.shape })));
    this.params.load(weights);
    this.acts = this.sizes.map((n) => A.alloc(maxRows * n));
    this.grads = this.sizes.map((n) => A.alloc(maxRows * n));
    this.wT = this.sizes.slice(1).map((n, l) => A.alloc(n * this.sizes[l]!));
  }

  get kernelName(): KernelName {
    return this.arena.kernels.name;
  }

  private get layers(): number {
    return this.sizes.length - 1;
  }

  private forward(rows: number): number {
    const A = this.arena;
    for (let l = 0; l < this.layers; l++) {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      denseForward(A, rows, nIn, nOut, this.acts[l]!, this.params.value(`dense${l}/w`), this.params.value(`dense${l}/b`), this.acts[l + 1]!);
      if (l + 1 < this.layers) reluInPlace(A, this.acts[l + 1]!, rows * nOut);
    }
    return this.acts[this.layers]!;
  }

  private put(x: ArrayLike<number>, rowOffset: number, rows: number): void {
    const n = this.config.inputs;
    if (x.length < rows * n) throw new Error(`${rows} rows need ${rows * n} inputs, got ${x.length}`);
    this.arena.f32.set(x.length === rows * n ? x : Array.prototype.slice.call(x, 0, rows * n), this.acts[0]! + rowOffset * n);
  }

  /** Outputs [rows × outputs] for inputs [rows × inputs] (a copy). */
  predict(x: ArrayLike<number>, rows: number): Float32Array {
    if (rows > this.maxRows) throw new Error(`${rows} rows are more than the ${this.maxRows} this model was built for`);
    this.put(x, 0, rows);
    return this.arena.read(this.forward(rows), rows * this.config.outputs);
  }

  /** MSE on (x, y) plus the monotonicity penalty on `pairs`; gradients into the params' gradient block. */
  lossAndGradients(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, pairs?: MonotonePairs): MlpLoss {
    const P = pairs?.count ?? 0;
    const R = rows + 2 * P;
    if (R > this.maxRows) throw new Error(`${rows} rows and ${P} pairs need ${R} rows; this model was built for ${this.maxRows}`);
    const A = this.arena;
    const p = this.params;
    const O = this.config.outputs;
    p.zeroGrads();
    this.put(x, 0, rows);
    if (pairs && P > 0) {
      this.put(pairs.lo, rows, P);
      this.put(pairs.hi, rows + P, P);
    }
    const out = this.forward(R);
    const d = this.grads[this.layers]!;
    let h = A.f32;
    // MSE's mean is over the data rows only; the pair rows' gradients come from the hinge.
    const mse = rows > 0 ? meanSquaredError(h, out, rows, O, y, d) : 0;
    let penalty = 0;
    let violated = 0;
    if (pairs && P > 0) {
      const margin = pairs.margin ?? 0;
      const scale = pairs.weight / (P * O);
      const lo = out + rows * O;
      const hi = out + (rows + P) * O;
      const dlo = d + rows * O;
      const dhi = d + (rows + P) * O;
      for (let i = 0; i < P * O; i++) {
        const v = h[lo + i]! - h[hi + i]! + margin;
        const on = v > 0;
        if (on) {
          penalty += v;
          violated++;
        }
        h[dlo + i] = on ? scale : 0;
        h[dhi + i] = on ? -scale : 0;
      }
      penalty *= scale;
    }
    for (let l = this.layers - 1; l >= 0; l--) {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      h = A.f32;
      transpose(h, p.value(`dense${l}/w`), nIn, nOut, this.wT[l]!);
      const dx = l > 0 ? this.grads[l]! : -1;
      denseBackward(A, R, nIn, nOut, this.acts[l]!, this.wT[l]!, this.grads[l + 1]!, p.grad(`dense${l}/w`), p.grad(`dense${l}/b`), dx, false);
      if (l > 0) reluBackwardInPlace(A, this.acts[l]!, this.grads[l]!, R * nIn);
    }
    return { loss: mse + penalty, mse, penalty, violated };
  }

  trainStep(x: ArrayLike<number>, y: ArrayLike<number>, rows: number, optimizer: Optimizer, pairs?: MonotonePairs): MlpLoss {
    const l = this.lossAndGradients(x, y, rows, pairs);
    optimizer.step(this.params);
    return l;
  }

  weights(): WeightData[] {
    return this.params.read();
  }
}
