import type { LstmConfig, SequenceModelConfig, TcnConfig } from '../ml/sequence-config.ts';
import type { WeightData } from '../ml/weights.ts';
import { Arena } from './arena.ts';
import type { KernelName } from './kernels.ts';
import { argMax, meanSquaredError, softmaxCrossEntropy } from './losses.ts';
import {
  addColumnSums,
  convBackward,
  convForward,
  denseBackward,
  denseForward,
  reluBackwardInPlace,
  reluInPlace,
  transpose,
  transposeTaps,
} from './ops.ts';
import type { Optimizer } from './optim.ts';
import { Params } from './params.ts';
import { allSteps, forRuns, lastStep, tapsOf, union, type TimeRuns } from './time-runs.ts';

/** What a training step fits: values after the last step (MSE), classes after the last step, or after every step. */
export type StepTask = { kind: 'regress'; y: Float32Array } | { kind: 'classify'; y: Int32Array } | { kind: 'classify-all'; y: Int32Array };

interface LstmLayer {
  readonly inSize: number;
  readonly w: string;
  readonly u: string;
  readonly b: string;
  /** Gate activations per step [T·B × 4H]. */
  readonly z: number;
  /** h and c for steps −1..T−1 ([(T+1)·B × H]; block 0 is the zero initial state). */
  readonly hs: number;
  readonly cs: number;
  readonly dz: number;
  /** Gradient reaching each step's h ([T·B × H]). */
  readonly dh: number;
  readonly dc: number;
  readonly wT: number;
  readonly uT: number;
}

/** The steps a block computes, for a loss on the last step or on every step. */
interface BlockSteps {
  /** The block's output (and second convolution's) steps. */
  readonly out: TimeRuns;
  /** The first convolution's output steps: the taps of `out`. */
  readonly mid: TimeRuns;
  /** The block's input steps: `out` (the residual) and the taps of `mid`. */
  readonly input: TimeRuns;
}

interface TcnBlock {
  readonly dilation: number;
  /** Weight names, built once (not per step). */
  readonly w1: string;
  readonly b1: string;
  readonly w2: string;
  readonly b2: string;
  readonly steps: { readonly last: BlockSteps; readonly all: BlockSteps };
  readonly a1: number;
  readonly a2: number;
  readonly out: number;
  readonly da1: number;
  readonly da2: number;
  /** Gradient reaching the block's output. */
  readonly dout: number;
  readonly w1T: number;
  readonly w2T: number;
}

/**
 * core/ml's LSTM and TCN (same weight names, shapes and maths as sequence-model.ts) with hand-written forward
 * and backward passes on the engine's kernels. Every buffer is allocated here for batches up to maxBatch, so
 * training allocates no buffers.
 */
export class SequenceNet {
  readonly arena: Arena;
  readonly params: Params;
  private readonly T: number;
  private readonly x: number;
  private readonly emb: number;
  private readonly dEmb: number;
  private readonly lstm: LstmLayer[] = [];
  private readonly blocks: TcnBlock[] = [];
  private readonly logits: number;
  private readonly dLogits: number;
  private readonly headT: number;
  private readonly width: number;

  constructor(
    readonly config: SequenceModelConfig,
    weights: readonly WeightData[],
    readonly maxBatch: number,
    time: number,
    kernel?: KernelName,
  ) {
    const c = config;
    const A = (this.arena = new Arena(kernel));
    this.params = new Params(A, weights.map((w) => ({ name: w.name, shape: w.shape })));
    this.params.load(weights);
    this.T = time;
    const rows = time * maxBatch;
    this.x = A.alloc(rows * c.inputSize);
    this.emb = A.alloc(rows * c.embed);
    this.dEmb = A.alloc(rows * c.embed);
    if (c.kind === 'lstm') {
      const H = c.units;
      let inSize = c.embed;
      for (let l = 0; l < c.layers; l++) {
        this.lstm.push({
          inSize,
          w: `lstm${l}/w`,
          u: `lstm${l}/u`,
          b: `lstm${l}/b`,
          z: A.alloc(rows * 4 * H),
          hs: A.alloc((time + 1) * maxBatch * H),
          cs: A.alloc((time + 1) * maxBatch * H),
          dz: A.alloc(rows * 4 * H),
          dh: A.alloc(rows * H),
          dc: A.alloc(maxBatch * H),
          wT: A.alloc(inSize * 4 * H),
          uT: A.alloc(H * 4 * H),
        });
        inSize = H;
      }
      this.width = H;
    } else {
      const F = c.filters;
      if (c.embed !== F) throw new Error(`TCN embed (${c.embed}) must equal its filters (${F}) for the residual connections`);
      // From the top block down: what the last step (or every step) of the network's output needs of each block.
      const stepsFor = (top: TimeRuns): BlockSteps[] => {
        const out: BlockSteps[] = [];
        let need = top;
        for (let l = c.dilations.length - 1; l >= 0; l--) {
          const d = c.dilations[l]!;
          const mid = tapsOf(need, c.kernel, d, time);
          const input = union(need, tapsOf(mid, c.kernel, d, time), time);
          out[l] = { out: need, mid, input };
          need = input;
        }
        return out;
      };
      const last = stepsFor(lastStep(time));
      const all = stepsFor(allSteps(time));
      for (const [l, dilation] of c.dilations.entries()) {
        this.blocks.push({
          dilation,
          w1: `tcn${l}/w1`,
          b1: `tcn${l}/b1`,
          w2: `tcn${l}/w2`,
          b2: `tcn${l}/b2`,
          steps: { last: last[l]!, all: all[l]! },
          a1: A.alloc(rows * F),
          a2: A.alloc(rows * F),
          out: A.alloc(rows * F),
          da1: A.alloc(rows * F),
          da2: A.alloc(rows * F),
          dout: A.alloc(rows * F),
          w1T: A.alloc(c.kernel * F * F),
          w2T: A.alloc(c.kernel * F * F),
        });
      }
      this.width = F;
    }
    this.logits = A.alloc(rows * c.outputs);
    this.dLogits = A.alloc(rows * c.outputs);
    this.headT = A.alloc(this.width * c.outputs);
  }

  get kernelName(): KernelName {
    return this.arena.kernels.name;
  }

  /** Copies a batch-major window batch [B, T, F] in, time-major. */
  private load(x: Float32Array, B: number): void {
    if (B > this.maxBatch) throw new Error(`batch of ${B} is larger than the ${this.maxBatch} this model was built for`);
    const F = this.config.inputSize;
    const T = this.T;
    if (x.length < B * T * F) throw new Error(`a batch of ${B} windows needs ${B * T * F} inputs, got ${x.length}`);
    const h = this.arena.f32;
    // Element by element rather than set(subarray): a view per (window, step) would allocate on every batch.
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const src = (b * T + t) * F;
        const dst = this.x + (t * B + b) * F;
        for (let f = 0; f < F; f++) h[dst + f] = x[src + f]!;
      }
    }
  }

  /**
   * Runs the network; returns the offset of the top layer's outputs [T·B × width], time-major. With `lastOnly` the
   * TCN computes only the rows the last step depends on (the LSTM always runs every step).
   */
  private forwardBody(B: number, lastOnly: boolean): number {
    const c = this.config;
    const p = this.params;
    const A = this.arena;
    const T = this.T;
    denseForward(A, T * B, c.inputSize, c.embed, this.x, p.value('embed/w'), p.value('embed/b'), this.emb);
    if (c.kind === 'lstm') {
      let input = this.emb;
      for (const L of this.lstm) {
        this.lstmForward(c, L, B, input);
        input = L.hs + B * c.units;
      }
      return input;
    }
    let input = this.emb;
    const F = c.filters;
    for (const blk of this.blocks) {
      const st = lastOnly ? blk.steps.last : blk.steps.all;
      convForward(A, st.mid, B, F, F, c.kernel, blk.dilation, input, p.value(blk.w1), p.value(blk.b1), blk.a1);
      forRuns(st.mid, B, F, blk.a1, (off, n) => reluInPlace(A, off, n));
      convForward(A, st.out, B, F, F, c.kernel, blk.dilation, blk.a1, p.value(blk.w2), p.value(blk.b2), blk.a2);
      forRuns(st.out, B, F, 0, (off, n) => {
        reluInPlace(A, blk.a2 + off, n);
        A.kernels.addRelu(input + off, blk.a2 + off, blk.out + off, n);
      });
      input = blk.out;
    }
    return input;
  }

  private lstmForward(c: LstmConfig, L: LstmLayer, B: number, input: number): void {
    const A = this.arena;
    const p = this.params;
    const H = c.units;
    const G = 4 * H;
    denseForward(A, this.T * B, L.inSize, G, input, p.value(L.w), p.value(L.b), L.z);
    const h = A.f32;
    h.fill(0, L.hs, L.hs + B * H);
    h.fill(0, L.cs, L.cs + B * H);
    const u = p.value(L.u);
    for (let t = 0; t < this.T; t++) {
      const z = L.z + t * B * G;
      if (t > 0) A.kernels.gemm(B, G, H, L.hs + t * B * H, H, 1, u, G, z, G, true);
      A.kernels.lstmCellForward(B, H, z, L.cs + t * B * H, L.cs + (t + 1) * B * H, L.hs + (t + 1) * B * H);
    }
  }

  /** Outputs of the head for the last step of each window ([B × outputs], a copy). */
  predict(x: Float32Array, B: number): Float32Array {
    this.load(x, B);
    const top = this.forwardBody(B, true);
    const c = this.config;
    const last = top + (this.T - 1) * B * this.width;
    denseForward(this.arena, B, this.width, c.outputs, last, this.params.value('head/w'), this.params.value('head/b'), this.logits);
    return this.arena.read(this.logits, B * c.outputs);
  }

  /**
   * Loss (and, for classification, correct top-1 count) of the last step's outputs, without training: what
   * validation reads. The loss is the batch mean.
   */
  evaluate(x: Float32Array, B: number, task: StepTask): { loss: number; correct: number } {
    const out = this.predict(x, B);
    const h = this.arena.f32;
    if (task.kind === 'regress') return { loss: meanSquaredError(h, this.logits, B, this.config.outputs, task.y, this.dLogits), correct: Number.NaN };
    const C = this.config.outputs;
    const y = task.y;
    let correct = 0;
    for (let b = 0; b < B; b++) if (argMax(out, b * C, C) === y[b]) correct++;
    return { loss: softmaxCrossEntropy(h, this.logits, B, C, (r) => y[r]!, this.dLogits, B) / B, correct };
  }

  /** Gradients of the loss for one batch (into params' gradient block, which it zeroes first); returns the loss. */
  lossAndGradients(x: Float32Array, B: number, task: StepTask): number {
    const c = this.config;
    const A = this.arena;
    const p = this.params;
    const T = this.T;
    const W = this.width;
    const C = c.outputs;
    p.zeroGrads();
    this.load(x, B);
    const all = task.kind === 'classify-all';
    const top = this.forwardBody(B, !all);
    const headRows = all ? T * B : B;
    const headIn = all ? top : top + (T - 1) * B * W;
    denseForward(A, headRows, W, C, headIn, p.value('head/w'), p.value('head/b'), this.logits);
    let h = A.f32;
    let loss: number;
    if (task.kind === 'regress') loss = meanSquaredError(h, this.logits, B, C, task.y, this.dLogits);
    else if (task.kind === 'classify') loss = softmaxCrossEntropy(h, this.logits, B, C, (r) => task.y[r]!, this.dLogits, B) / B;
    else {
      let counted = 0;
      for (const v of task.y) if (v >= 0) counted++;
      if (counted === 0) throw new Error('a training batch has no targets');
      // Row t·B + b of the time-major logits is window b's step t: label y[b·T + t].
      loss = softmaxCrossEntropy(h, this.logits, T * B, C, (r) => task.y[(r % B) * T + Math.floor(r / B)]!, this.dLogits, counted) / counted;
    }
    // The head's input gradient goes to the top layer's output-gradient buffer (zero outside the rows used).
    const dTop = c.kind === 'lstm' ? this.lstm.at(-1)!.dh : this.blocks.at(-1)!.dout;
    h.fill(0, dTop, dTop + T * B * W);
    transpose(h, p.value('head/w'), W, C, this.headT);
    denseBackward(A, headRows, W, C, headIn, this.headT, this.dLogits, p.grad('head/w'), p.grad('head/b'), all ? dTop : dTop + (T - 1) * B * W, false);
    if (c.kind === 'lstm') {
      for (let l = this.lstm.length - 1; l >= 0; l--) {
        const L = this.lstm[l]!;
        const input = l === 0 ? this.emb : this.lstm[l - 1]!.hs + B * c.units;
        const dInput = l === 0 ? this.dEmb : this.lstm[l - 1]!.dh;
        this.lstmBackward(c, L, B, input, dInput);
      }
    } else {
      this.tcnBackward(c, B, !all);
    }
    h = A.f32;
    A.kernels.gemm(c.inputSize, c.embed, T * B, this.x, 1, c.inputSize, this.dEmb, c.embed, p.grad('embed/w'), c.embed, true);
    addColumnSums(A, T * B, c.embed, this.dEmb, p.grad('embed/b'));
    return loss;
  }

  private lstmBackward(c: LstmConfig, L: LstmLayer, B: number, input: number, dInput: number): void {
    const A = this.arena;
    const p = this.params;
    const h = A.f32;
    const H = c.units;
    const G = 4 * H;
    const T = this.T;
    transpose(h, p.value(L.u), H, G, L.uT);
    transpose(h, p.value(L.w), L.inSize, G, L.wT);
    h.fill(0, L.dc, L.dc + B * H);
    for (let t = T - 1; t >= 0; t--) {
      const dz = L.dz + t * B * G;
      A.kernels.lstmCellBackward(B, H, L.z + t * B * G, L.cs + t * B * H, L.cs + (t + 1) * B * H, L.dh + t * B * H, L.dc, dz);
      // h_{t−1} fed step t through U: its gradient joins what reached it from above.
      if (t > 0) A.kernels.gemm(B, H, G, dz, G, 1, L.uT, H, L.dh + (t - 1) * B * H, H, true);
    }
    A.kernels.gemm(H, G, T * B, L.hs, 1, H, L.dz, G, p.grad(L.u), G, true);
    denseBackward(A, T * B, L.inSize, G, input, L.wT, L.dz, p.grad(L.w), p.grad(L.b), dInput, false);
  }

  private tcnBackward(c: TcnConfig, B: number, lastOnly: boolean): void {
    const A = this.arena;
    const p = this.params;
    const T = this.T;
    const F = c.filters;
    const k = c.kernel;
    const n = T * B * F;
    for (let l = this.blocks.length - 1; l >= 0; l--) {
      const blk = this.blocks[l]!;
      const st = lastOnly ? blk.steps.last : blk.steps.all;
      const input = l === 0 ? this.emb : this.blocks[l - 1]!.out;
      const dInput = l === 0 ? this.dEmb : this.blocks[l - 1]!.dout;
      const h = A.f32;
      transposeTaps(h, p.value(blk.w1), k, F, F, blk.w1T);
      transposeTaps(h, p.value(blk.w2), k, F, F, blk.w2T);
      // Through the block's output ReLU: dout becomes the gradient of (input + a2); then through a2's ReLU.
      forRuns(st.out, B, F, 0, (off, m) => {
        reluBackwardInPlace(A, blk.out + off, blk.dout + off, m);
        A.f32.copyWithin(blk.da2 + off, blk.dout + off, blk.dout + off + m);
        reluBackwardInPlace(A, blk.a2 + off, blk.da2 + off, m);
      });
      forRuns(st.mid, B, F, blk.da1, (off, m) => A.f32.fill(0, off, off + m));
      convBackward(A, st.out, B, F, F, k, blk.dilation, blk.a1, blk.w2T, blk.da2, p.grad(blk.w2), p.grad(blk.b2), blk.da1);
      forRuns(st.mid, B, F, 0, (off, m) => reluBackwardInPlace(A, blk.a1 + off, blk.da1 + off, m));
      // The residual path carries dout to the input unchanged; the first convolution adds to it. Rows the loss does
      // not reach stay zero (the embedding's gradient reads them all).
      A.f32.fill(0, dInput, dInput + n);
      forRuns(st.out, B, F, 0, (off, m) => A.f32.copyWithin(dInput + off, blk.dout + off, blk.dout + off + m));
      convBackward(A, st.mid, B, F, F, k, blk.dilation, input, blk.w1T, blk.da1, p.grad(blk.w1), p.grad(blk.b1), dInput);
    }
  }

  /** One optimiser step on a batch; returns the batch's loss before the step. */
  trainStep(x: Float32Array, B: number, task: StepTask, optimizer: Optimizer): number {
    const loss = this.lossAndGradients(x, B, task);
    optimizer.step(this.params);
    return loss;
  }

  weights(): WeightData[] {
    return this.params.read();
  }

  setWeights(weights: readonly WeightData[]): void {
    this.params.load(weights);
  }
}
