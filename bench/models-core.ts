// The `models` bench suite's measurements, runnable anywhere tfjs runs: in Node (bench/models.ts) and in a
// dedicated worker of the built app (workers/model-bench.worker.ts). No Node imports here.
import * as tf from '@tensorflow/tfjs';
import { sgnsBatchLoss } from '../core/embeddings/skipgram-tfjs.ts';
import { initialSkipGramWeights, sgnsTrainPairs } from '../core/embeddings/skipgram-typed.ts';
import { Rng } from '../core/ml/rng.ts';
import { initialWeights, type SequenceModelConfig } from '../core/ml/sequence-config.ts';
import { causalConv, forward, regressionLoss } from '../core/ml/sequence-model.ts';
import { streamingModel } from '../core/ml/stream.ts';
import { glorotUniform, zeros, type WeightData } from '../core/ml/weights.ts';
import { mlpInitialWeights } from '../core/engine/mlp.ts';
import { ParamSet } from '../core/ml/param-set.ts';
import type { BenchRow } from './report.ts';
import type { KernelName } from '../core/engine/kernels.ts';
import { Mlp } from '../core/engine/mlp.ts';
import { Adam } from '../core/engine/optim.ts';
import { SequenceNet } from '../core/engine/sequence-net.ts';
import { engineStreamingModel } from '../core/engine/stream.ts';
import { PeerTcn } from './engine-peer-tcn.ts';

/**
 * The issue's reference shapes (issue 5, "Speed"; ../shared/platform.md; ../shared/peer-bench/torch_peer.py).
 * - LSTM: batch 64, window 32, 16 inputs, 64 units, Dense 1, MSE. core/ml's LSTM starts with a Dense "embed"
 *   projection; it is set to 16→16 here (PyTorch's peer has none: a 16×16 matMul per step more for us).
 * - TCN as core/ml builds it: Dense 16→64 embed, then 4 residual blocks (dilations 1-2-4-8, kernel 3, 64 filters),
 *   each TWO causal convs 64→64 + ReLU and a residual add, last step → Dense 1: 8 convs, about twice the conv
 *   work of PyTorch's peer (4 single convs 16→64, 64→64 ×3, no residual).
 * - "tcn-4conv": the peer's exact network on core/ml's causalConv (4 convs, ReLU, last step, Dense 1): the
 *   like-for-like TCN comparison.
 * - Skip-gram: vocab 300, dim 32, 1024 pairs per step, 5 negatives, core/embeddings' tfjs loss (gatherND rows with
 *   a scatterND gradient, Adam 0.01) — the trainer's default form; pairs and negatives drawn uniformly as the peer
 *   draws them.
 */
export const BATCH = 64;
export const WINDOW = 32;
export const INPUTS = 16;
export const SG = { vocab: 300, dim: 32, pairs: 1024, negatives: 5 } as const;

export const MODEL_KEYS = ['mlp', 'lstm', 'tcn', 'tcn-4conv', 'skipgram'] as const;
/** vPALs' latency MLP: 8 inputs, 2 hidden ReLU layers of 300, 1 output; batch 256. */
export const MLP_SHAPE = { inputs: 8, hidden: [300, 300], outputs: 1 } as const;
export const MLP_BATCH = 256;
export type ModelKey = (typeof MODEL_KEYS)[number];

/** What each model key means (printed as a legend; rows name models by key). */
export const MODEL_NAMES: Record<ModelKey, string> = {
  mlp: `mlp (batch ${MLP_BATCH}, 8 in, 2×300 ReLU, Dense 1, MSE)`,
  lstm: `lstm (batch ${BATCH}, window ${WINDOW}, ${INPUTS} in, embed 16, 64 units, Dense 1, MSE)`,
  tcn: `tcn core (batch ${BATCH}, window ${WINDOW}, embed 16→64, 4 blocks × 2 causal convs k3 64f, dil 1-2-4-8, residual, Dense 1)`,
  'tcn-4conv': `tcn-4conv peer shape (batch ${BATCH}, window ${WINDOW}, 4 causal convs k3 64f, dil 1-2-4-8, Dense 1)`,
  skipgram: `skipgram (vocab ${SG.vocab}, dim ${SG.dim}, ${SG.pairs} pairs/step, ${SG.negatives} negatives)`,
};
/** Which torch_peer.py model each of ours compares with. */
/** Which peer row each of ours compares with: the peer's TCN is the 4-conv shape (ours, `tcn`, has 8 convs and residuals). */
export const PEER_MODEL: Record<ModelKey, ModelKey> = { mlp: 'mlp', lstm: 'lstm', tcn: 'tcn-4conv', 'tcn-4conv': 'tcn-4conv', skipgram: 'skipgram' };

const LSTM: SequenceModelConfig = { kind: 'lstm', inputSize: INPUTS, embed: 16, units: 64, layers: 1, outputs: 1 };
const TCN: SequenceModelConfig = { kind: 'tcn', inputSize: INPUTS, embed: 64, filters: 64, kernel: 3, dilations: [1, 2, 4, 8], outputs: 1 };
const DILATIONS = [1, 2, 4, 8];

export interface Budget {
  /** Untimed steps after the first (JIT, kernel compilation, caches). */
  readonly warmSteps: number;
  /** Timed steps run for at least this long… */
  readonly seconds: number;
  /** …and at least this many; at most maxSteps. */
  readonly minSteps: number;
  readonly maxSteps: number;
  /** If the first step takes longer than this, the warm-up is one step and only minSteps are timed. */
  readonly slowFirstStepMs: number;
  /** Stop timing once the whole measurement (first step included) has run this long, with ≥ 2 timed steps. */
  readonly capSeconds?: number;
}

export const DEFAULT_BUDGET: Budget = { warmSteps: 3, seconds: 3, minSteps: 5, maxSteps: 400, slowFirstStepMs: 3000 };

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Per-step wall times (ms): a first step, a warm-up, then timed steps; medians of the timed ones. */
async function timeSteps(step: (i: number) => Promise<unknown> | unknown, b: Budget): Promise<{ firstMs: number; ms: number[] }> {
  const start = performance.now();
  let t = start;
  await step(0);
  const firstMs = performance.now() - t;
  const slow = firstMs > b.slowFirstStepMs;
  let i = 1;
  // A first step that takes a quarter of the cap or more is warm-up enough (tfjs-cpu under load).
  const warm = !slow ? b.warmSteps : b.capSeconds !== undefined && firstMs > b.capSeconds * 250 ? 0 : 1;
  for (; i <= warm; i++) await step(i);
  const ms: number[] = [];
  const t0 = performance.now();
  const cap = b.capSeconds === undefined ? Infinity : start + b.capSeconds * 1000;
  while ((ms.length < b.minSteps && (ms.length < 2 || performance.now() < cap)) || (!slow && ms.length < b.maxSteps && performance.now() - t0 < b.seconds * 1000)) {
    t = performance.now();
    await step(i++);
    ms.push(performance.now() - t);
  }
  return { firstMs, ms };
}

function randn(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rng.next()));
    const a = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** The peer's TCN (torch_peer.py's TCN class) on core/ml's causalConv: weights as WeightData. */
export function tcn4Weights(rng: Rng): WeightData[] {
  const w: WeightData[] = [];
  DILATIONS.forEach((_, l) => {
    const inCh = l === 0 ? INPUTS : 64;
    w.push({ name: `c${l}/w`, shape: [3 * inCh, 64], data: glorotUniform(rng, 3 * inCh, 64) });
    w.push({ name: `c${l}/b`, shape: [64], data: zeros(64) });
  });
  w.push({ name: 'head/w', shape: [64, 1], data: glorotUniform(rng, 64, 1) });
  w.push({ name: 'head/b', shape: [1], data: zeros(1) });
  return w;
}

export function tcn4Forward(p: ParamSet, x: Float32Array, batch: number): tf.Tensor2D {
  let h = tf.tensor3d(x, [batch, WINDOW, INPUTS]);
  DILATIONS.forEach((d, l) => {
    h = tf.relu(causalConv(h, p.get(`c${l}/w`), p.get(`c${l}/b`), 3, d));
  });
  const last = h.slice([0, WINDOW - 1, 0], [batch, 1, 64]).reshape([batch, 64]) as tf.Tensor2D;
  return tf.matMul(last, p.get('head/w') as tf.Tensor2D).add(p.get('head/b'));
}

/** The pieces one model needs on tfjs: its weights, a loss for a batch, a forward pass. */
interface TfjsModel {
  weights: WeightData[];
  loss(p: ParamSet, x: Float32Array, y: Float32Array): tf.Scalar;
  forward(p: ParamSet, x: Float32Array, batch: number): tf.Tensor2D;
}

function mlpForward(p: ParamSet, x: Float32Array, batch: number): tf.Tensor2D {
  let h: tf.Tensor2D = tf.tensor2d(x, [batch, MLP_SHAPE.inputs]);
  const layers = MLP_SHAPE.hidden.length + 1;
  for (let l = 0; l < layers; l++) {
    h = tf.matMul(h, p.get(`dense${l}/w`) as tf.Tensor2D).add(p.get(`dense${l}/b`));
    if (l + 1 < layers) h = tf.relu(h);
  }
  return h;
}

function tfjsModel(key: 'mlp' | 'lstm' | 'tcn' | 'tcn-4conv'): TfjsModel {
  const rng = new Rng(1);
  if (key === 'mlp') {
    return {
      weights: mlpInitialWeights(MLP_SHAPE, rng),
      loss: (p, x, y) => tf.losses.meanSquaredError(tf.tensor2d(y, [MLP_BATCH, 1]), mlpForward(p, x, MLP_BATCH)) as tf.Scalar,
      forward: mlpForward,
    };
  }
  if (key === 'tcn-4conv') {
    return {
      weights: tcn4Weights(rng),
      loss: (p, x, y) => tf.losses.meanSquaredError(tf.tensor2d(y, [BATCH, 1]), tcn4Forward(p, x, BATCH)) as tf.Scalar,
      forward: tcn4Forward,
    };
  }
  const config = key === 'lstm' ? LSTM : TCN;
  return {
    weights: initialWeights(config, rng),
    loss: (p, x, y) => regressionLoss(config, p, { x, batch: BATCH, time: WINDOW }, y),
    forward: (p, x, batch) => forward(config, p, { x, batch, time: WINDOW }),
  };
}

/** Four random batches, used in turn (as the peer does). */
function batches(seed: number, key: ModelKey = 'lstm'): { x: Float32Array; y: Float32Array }[] {
  const rng = new Rng(seed);
  if (key === 'mlp') return Array.from({ length: 4 }, () => ({ x: randn(rng, MLP_BATCH * MLP_SHAPE.inputs), y: randn(rng, MLP_BATCH) }));
  return Array.from({ length: 4 }, () => ({ x: randn(rng, BATCH * WINDOW * INPUTS), y: randn(rng, BATCH) }));
}

/**
 * One training step as core/ml/train.ts runs it: Adam (1e-3) minimize inside tf.tidy, then the loss read back with
 * await data(). A tfjs-backed step is not done until its loss is read, so each timed step includes that read.
 */
export function makeTrainStep(key: 'mlp' | 'lstm' | 'tcn' | 'tcn-4conv'): { step: (i: number) => Promise<number>; dispose: () => void } {
  const m = tfjsModel(key);
  const params = new ParamSet(m.weights);
  const vars = params.list();
  const optimizer = tf.train.adam(1e-3);
  const data = batches(2, key);
  return {
    async step(i) {
      const d = data[i % data.length]!;
      const cost = tf.tidy(() => optimizer.minimize(() => m.loss(params, d.x, d.y), true, vars)!);
      const loss = (await cost.data())[0]!;
      cost.dispose();
      if (!Number.isFinite(loss)) throw new Error(`${key}: loss ${loss}`);
      return loss;
    },
    dispose() {
      optimizer.dispose();
      params.dispose();
    },
  };
}

/** One skip-gram step on the active backend: core/embeddings' sgnsBatchLoss (gather form), Adam 0.01. */
export function makeSkipGramStep(): { step: (i: number) => Promise<number>; dispose: () => void } {
  const rng = new Rng(3);
  const { input } = initialSkipGramWeights(SG.vocab, SG.dim, rng);
  const [inputW, outputW] = tf.tidy(() => [
    tf.variable(tf.tensor2d(Float32Array.from(input), [SG.vocab, SG.dim]), true),
    tf.variable(tf.zeros([SG.vocab, SG.dim]), true),
  ]);
  const perPair = 1 + SG.negatives;
  const signRow = new Float32Array(perPair).fill(-1);
  signRow[0] = 1;
  const signs = tf.tensor2d(signRow, [1, perPair]);
  const optimizer = tf.train.adam(0.01);
  const data = Array.from({ length: 4 }, () => {
    const centers = Int32Array.from({ length: SG.pairs }, () => rng.int(SG.vocab));
    const targets = Int32Array.from({ length: SG.pairs * perPair }, () => rng.int(SG.vocab));
    const mask = Float32Array.from(targets, (t, j) => (j % perPair === 0 || t !== targets[j - (j % perPair)] ? 1 : 0));
    return { centers, targets, mask };
  });
  return {
    async step(i) {
      const d = data[i % data.length]!;
      const cost = tf.tidy(() => {
        const c = tf.tensor2d(d.centers, [SG.pairs, 1], 'int32');
        const t = tf.tensor2d(d.targets, [SG.pairs * perPair, 1], 'int32');
        const m = tf.tensor2d(d.mask, [SG.pairs, perPair]);
        return optimizer.minimize(() => sgnsBatchLoss(inputW, outputW, c, t, signs, m), true, [inputW, outputW])!;
      });
      const loss = (await cost.data())[0]!;
      cost.dispose();
      return loss;
    },
    dispose() {
      tf.dispose([inputW, outputW, signs]);
      optimizer.dispose();
    },
  };
}

export interface ModelBenchOptions {
  readonly budget?: Budget;
  /** Seconds of single-sample inference timing. */
  readonly inferSeconds?: number;
}

const row = (model: ModelKey, backend: string, metric: string, value: number, unit: string): BenchRow => ({
  suite: 'models',
  model,
  backend,
  metric,
  value,
  unit,
});

async function latencies(run: () => Promise<unknown> | unknown, seconds: number, minRuns = 5, warm = 3): Promise<number[]> {
  for (let i = 0; i < warm; i++) await run();
  const ms: number[] = [];
  const t0 = performance.now();
  while (ms.length < minRuns || (ms.length < 20_000 && performance.now() - t0 < seconds * 1000)) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return ms;
}

/**
 * One model on the active tfjs backend: training steps/s (1000 / median step ms, after warm-up), the first step's
 * ms, and single-sample inference latency (batch 1, window 32, forward in tf.tidy + await data(); median).
 * For skip-gram: steps/s, pairs/s, and a nearest-neighbour query (one row · Wᵀ, top 10) as its inference.
 */
export async function benchModelTfjs(key: ModelKey, backend: string, o: ModelBenchOptions = {}): Promise<BenchRow[]> {
  const budget = o.budget ?? DEFAULT_BUDGET;
  const inferSeconds = o.inferSeconds ?? 1.5;
  const before = tf.memory().numTensors;
  const out: BenchRow[] = [];
  if (key === 'skipgram') {
    const s = makeSkipGramStep();
    try {
      const r = await timeSteps(s.step, budget);
      const sps = 1000 / median(r.ms);
      out.push(
        row(key, backend, 'train_steps_per_second', sps, 'steps/s'),
        row(key, backend, 'train_pairs_per_second', sps * SG.pairs, 'pairs/s'),
        row(key, backend, 'train_first_step_ms', r.firstMs, 'ms'),
        row(key, backend, 'train_timed_steps', r.ms.length, 'steps'),
      );
    } finally {
      s.dispose();
    }
    const rng = new Rng(4);
    const w = tf.tensor2d(randn(rng, SG.vocab * SG.dim), [SG.vocab, SG.dim]);
    try {
      // 20 queries per timing: one is below a browser worker's clock resolution (100 µs without isolation).
      const lat = await latencies(async () => {
        for (let q = 0; q < 20; q++) {
          const idx = tf.tidy(() => tf.topk(tf.matMul(tf.gather(w, tf.tensor1d([q], 'int32')), w, false, true), 10).indices);
          await idx.data();
          idx.dispose();
        }
      }, inferSeconds);
      out.push(row(key, backend, 'infer_nn_query_ms_p50', median(lat) / 20, 'ms'));
    } finally {
      w.dispose();
    }
  } else {
    const s = makeTrainStep(key);
    try {
      const r = await timeSteps(s.step, budget);
      out.push(
        row(key, backend, 'train_steps_per_second', 1000 / median(r.ms), 'steps/s'),
        row(key, backend, 'train_first_step_ms', r.firstMs, 'ms'),
        row(key, backend, 'train_timed_steps', r.ms.length, 'steps'),
      );
    } finally {
      s.dispose();
    }
    const m = tfjsModel(key);
    const params = new ParamSet(m.weights);
    const x1 = randn(new Rng(5), key === 'mlp' ? MLP_SHAPE.inputs : WINDOW * INPUTS);
    try {
      const lat = await latencies(async () => {
        const y = tf.tidy(() => m.forward(params, x1, 1));
        await y.data();
        y.dispose();
      }, inferSeconds);
      out.push(row(key, backend, 'infer_single_ms_p50', median(lat), 'ms'));
    } finally {
      params.dispose();
    }
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked > 0) throw new Error(`models bench leaked ${leaked} tensors (${key} on ${backend})`);
  return out;
}

/**
 * The typed-array paths (no tfjs), backend label `backend` (js-typed): skip-gram steps of 1024 pairs through
 * core/embeddings' sgnsTrainPairs (word2vec's per-pair SGD — not Adam on a batch: the same pairs and negatives
 * per step, different optimiser), and the LSTM/TCN single-sample latency through core/ml/stream.ts: a window of
 * 32 steps from a reset state (what batch 1, window 32 costs), and one streamed step with state carried (what a
 * new event costs when the stream is already running).
 */
export async function benchTyped(backend: string, o: ModelBenchOptions = {}): Promise<BenchRow[]> {
  const budget = o.budget ?? DEFAULT_BUDGET;
  const inferSeconds = o.inferSeconds ?? 1.5;
  const out: BenchRow[] = [];
  const rng = new Rng(6);
  const { input, output } = initialSkipGramWeights(SG.vocab, SG.dim, rng);
  const table = Int32Array.from({ length: 1 << 16 }, () => rng.int(SG.vocab));
  const scratch = new Float64Array(SG.dim);
  const data = Array.from({ length: 4 }, () => ({
    centers: Int32Array.from({ length: SG.pairs }, () => rng.int(SG.vocab)),
    contexts: Int32Array.from({ length: SG.pairs }, () => rng.int(SG.vocab)),
  }));
  let sink = 0;
  const r = await timeSteps((i) => {
    const d = data[i % 4]!;
    sink += sgnsTrainPairs(input, output, SG.dim, d.centers, d.contexts, SG.pairs, table, SG.negatives, 0.025, rng, scratch);
  }, { ...budget, maxSteps: 20_000 });
  if (!Number.isFinite(sink)) throw new Error('typed skip-gram diverged');
  const sps = 1000 / median(r.ms);
  out.push(
    row('skipgram', backend, 'train_steps_per_second', sps, 'steps/s'),
    row('skipgram', backend, 'train_pairs_per_second', sps * SG.pairs, 'pairs/s'),
    row('skipgram', backend, 'train_timed_steps', r.ms.length, 'steps'),
  );
  for (const key of ['lstm', 'tcn'] as const) {
    const config = key === 'lstm' ? LSTM : TCN;
    const model = streamingModel(config, initialWeights(config, new Rng(1)));
    const x = randn(new Rng(5), WINDOW * INPUTS);
    const steps = Array.from({ length: WINDOW }, (_, t) => x.subarray(t * INPUTS, (t + 1) * INPUTS));
    const win = await latencies(() => {
      model.reset();
      for (const s of steps) sink += model.step(s)[0]!;
    }, inferSeconds, 20, 20);
    out.push(row(key, backend, 'infer_single_ms_p50', median(win), 'ms'));
    let t = 0;
    // Per-event: a batch of 256 streamed steps per timing (one step is below the clock's resolution in a browser).
    const ev = await latencies(() => {
      for (let k = 0; k < 256; k++) sink += model.step(steps[t++ % WINDOW]!)[0]!;
    }, inferSeconds, 20, 5);
    out.push(row(key, backend, 'infer_stream_step_ms_p50', median(ev) / 256, 'ms'));
  }
  if (!Number.isFinite(sink)) throw new Error('typed inference produced a non-finite output');
  return out;
}

/**
 * The engine (core/engine) on the same shapes, data and Adam (1e-3) as the tfjs rows: training steps/s (the loss
 * is computed every step), single-sample latency (batch 1: one window, or one MLP row), and for the LSTM and TCN the
 * per-event cost of the engine's streaming model (state carried, 256 events per timing). Skip-gram's rows stay
 * with benchTyped (word2vec's per-pair SGD, not a batched Adam step).
 */
export async function benchEngine(key: Exclude<ModelKey, 'skipgram'>, backend: string, kernel: KernelName, o: ModelBenchOptions = {}): Promise<BenchRow[]> {
  const budget = o.budget ?? DEFAULT_BUDGET;
  const inferSeconds = o.inferSeconds ?? 1.5;
  const out: BenchRow[] = [];
  const rng = new Rng(1);
  const data = batches(2, key);
  const adam = new Adam(1e-3);
  let train: (x: Float32Array, y: Float32Array) => number;
  let predict1: (x: Float32Array) => number;
  if (key === 'mlp') {
    const net = new Mlp(MLP_SHAPE, mlpInitialWeights(MLP_SHAPE, rng), MLP_BATCH, kernel);
    train = (x, y) => net.trainStep(x, y, MLP_BATCH, adam).loss;
    predict1 = (x) => net.predict(x, 1)[0]!;
  } else if (key === 'tcn-4conv') {
    const net = new PeerTcn(tcn4Weights(rng), INPUTS, BATCH, WINDOW, kernel);
    train = (x, y) => net.trainStep(x, y, BATCH, adam);
    predict1 = (x) => net.predict(x, 1)[0]!;
  } else {
    const config = key === 'lstm' ? LSTM : TCN;
    const net = new SequenceNet(config, initialWeights(config, rng), BATCH, WINDOW, kernel);
    train = (x, y) => net.trainStep(x, BATCH, { kind: 'regress', y }, adam);
    predict1 = (x) => net.predict(x, 1)[0]!;
  }
  const r = await timeSteps((i) => {
    const d = data[i % data.length]!;
    const loss = train(d.x, d.y);
    if (!Number.isFinite(loss)) throw new Error(`engine ${key}: loss ${loss}`);
  }, budget);
  out.push(
    row(key, backend, 'train_steps_per_second', 1000 / median(r.ms), 'steps/s'),
    row(key, backend, 'train_first_step_ms', r.firstMs, 'ms'),
    row(key, backend, 'train_timed_steps', r.ms.length, 'steps'),
  );
  const x1 = randn(new Rng(5), key === 'mlp' ? MLP_SHAPE.inputs : WINDOW * INPUTS);
  let sink = 0;
  // 20 predictions per timing: one MLP row is below a browser worker's clock resolution.
  const lat = await latencies(() => {
    for (let q = 0; q < 20; q++) sink += predict1(x1);
  }, inferSeconds);
  out.push(row(key, backend, 'infer_single_ms_p50', median(lat) / 20, 'ms'));
  if (key === 'lstm' || key === 'tcn') {
    const config = key === 'lstm' ? LSTM : TCN;
    const model = engineStreamingModel(config, initialWeights(config, new Rng(1)), kernel);
    const steps = Array.from({ length: WINDOW }, (_, t) => x1.subarray(t * INPUTS, (t + 1) * INPUTS));
    let t = 0;
    const ev = await latencies(() => {
      for (let k = 0; k < 256; k++) sink += model.step(steps[t++ % WINDOW]!)[0]!;
    }, inferSeconds, 20, 5);
    out.push(row(key, backend, 'infer_stream_step_ms_p50', median(ev) / 256, 'ms'));
  }
  if (!Number.isFinite(sink)) throw new Error(`engine ${key}: non-finite output`);
  return out;
}
