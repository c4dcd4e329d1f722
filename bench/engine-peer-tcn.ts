// torch_peer.py's TCN on the engine's ops, for the like-for-like `tcn-4conv` row: 4 causal convs (16→64, then
// 64→64 ×3; kernel 3; dilations 1-2-4-8) with ReLU, the last step, Dense 1, MSE. Same weights as models-core's
// tfjs version (tcn4Weights), so both compute the same function.
import { Arena } from '../core/engine/arena.ts';
import type { KernelName } from '../core/engine/kernels.ts';
import { meanSquaredError } from '../core/engine/losses.ts';
import { convBackward, convForward, denseBackward, denseForward, reluBackwardInPlace, reluInPlace, transpose, transposeTaps } from '../core/engine/ops.ts';
import type { Optimizer } from '../core/engine/optim.ts';
import { Params } from '../core/engine/params.ts';
import { forRuns, lastStep, tapsOf, type TimeRuns } from '../core/engine/time-runs.ts';
import type { WeightData } from '../core/ml/weights.ts';

const DILATIONS = [1, 2, 4, 8];
const F = 64;

export class PeerTcn {
  readonly arena: Arena;
  readonly params: Params;
  private readonly x: number;
  private readonly acts: number[];
  private readonly grads: number[];
  private readonly wT: number[];
  private readonly out: number;
  private readonly dOut: number;
  private readonly headT: number;

  constructor(
    weights: readonly WeightData[],
    readonly inputs: number,
    readonly maxBatch: number,
    readonly T: number,
    kernel?: KernelName,
  ) {
    const A = (this.arena = new Arena(kernel));
    this.params = new Params(A, weights.map((w) => ({ name: w.name, shape: w.shape })));
    this.params.load(weights);
    const rows = T * maxBatch;
    this.x = A.alloc(rows * inputs);
    this.acts = DILATIONS.map(() => A.alloc(rows * F));
    this.grads = DILATIONS.map(() => A.alloc(rows * F));
    this.wT = DILATIONS.map((_, l) => A.alloc(3 * (l === 0 ? inputs : F) * F));
    this.out = A.alloc(maxBatch);
    this.dOut = A.alloc(maxBatch);
    this.headT = A.alloc(F);
    let need = lastStep(T);
    for (let l = DILATIONS.length - 1; l >= 0; l--) {
      this.steps[l] = need;
      need = tapsOf(need, 3, DILATIONS[l]!, T);
    }
  }

  /** Steps each conv computes: the last step at the top, then the taps it reads, down to the first conv. */
  private readonly steps: TimeRuns[] = [];

  private forward(x: Float32Array, B: number): number {
    const A = this.arena;
    const T = this.T;
    const h = A.f32;
    const D = this.inputs;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const src = (b * T + t) * D;
        const dst = this.x + (t * B + b) * D;
        for (let f = 0; f < D; f++) h[dst + f] = x[src + f]!;
      }
    }
    let input = this.x;
    DILATIONS.forEach((d, l) => {
      const cin = l === 0 ? this.inputs : F;
      const act = this.acts[l]!;
      convForward(A, this.steps[l]!, B, cin, F, 3, d, input, this.params.value(`c${l}/w`), this.params.value(`c${l}/b`), act);
      forRuns(this.steps[l]!, B, F, act, (off, n) => reluInPlace(A, off, n));
      input = act;
    });
    const last = input + (T - 1) * B * F;
    denseForward(A, B, F, 1, last, this.params.value('head/w'), this.params.value('head/b'), this.out);
    return last;
  }

  predict(x: Float32Array, B: number): Float32Array {
    this.forward(x, B);
    return this.arena.read(this.out, B);
  }

  trainStep(x: Float32Array, y: Float32Array, B: number, optimizer: Optimizer): number {
    const A = this.arena;
    const p = this.params;
    const T = this.T;
    p.zeroGrads();
    const last = this.forward(x, B);
    const loss = meanSquaredError(A.f32, this.out, B, 1, y, this.dOut);
    const top = this.grads[DILATIONS.length - 1]!;
    A.f32.fill(0, top, top + T * B * F);
    transpose(A.f32, p.value('head/w'), F, 1, this.headT);
    denseBackward(A, B, F, 1, last, this.headT, this.dOut, p.grad('head/w'), p.grad('head/b'), top + (T - 1) * B * F, false);
    for (let l = DILATIONS.length - 1; l >= 0; l--) {
      const cin = l === 0 ? this.inputs : F;
      forRuns(this.steps[l]!, B, F, 0, (off, n) => reluBackwardInPlace(A, this.acts[l]! + off, this.grads[l]! + off, n));
      transposeTaps(A.f32, p.value(`c${l}/w`), 3, cin, F, this.wT[l]!);
      const dx = l > 0 ? this.grads[l - 1]! : -1;
      if (dx >= 0) A.f32.fill(0, dx, dx + T * B * F);
      convBackward(A, this.steps[l]!, B, cin, F, 3, DILATIONS[l]!, l > 0 ? this.acts[l - 1]! : this.x, this.wT[l]!, this.grads[l]!, p.grad(`c${l}/w`), p.grad(`c${l}/b`), dx);
    }
    optimizer.step(p);
    return loss;
  }
}
