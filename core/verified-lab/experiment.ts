import type { Bundle } from '../bundle/reader.ts';
import { mlpInitialWeights, type MlpConfig } from '../engine/mlp.ts';
import { describeEngine, engineKernel } from '../ml/compute-target.ts';
import { Rng } from '../ml/rng.ts';
import type { WeightData } from '../ml/weights.ts';
import { trainVerified, type CegisRound } from '../verify/cegis.ts';
import { collectCounterexamples } from '../verify/collect.ts';
import { evaluate, reluNetFromWeights, type ReluNet } from '../verify/relu-net.ts';
import { wantedSign, type Counterexample, type MonotoneSpec } from '../verify/spec.ts';
import { verifyMonotone, type VerifyResult } from '../verify/verify.ts';
import { CERTIFICATE_FORMAT, hashWeights, type Certificate } from './certificate.ts';
import { pearson, spearman } from './correlation.ts';
import { buildVerifiedDataset, DatasetError, usableRows, type MetricInfo, type VerifiedDataset } from './dataset.ts';
import { fitBaselines, type BaselineModel } from './baselines.ts';
import { fitMinMax, fitTarget, scaleInput, scaleTarget, targetToReal, unscaleInput, type MinMax, type TargetScaling } from './scaling.ts';
import { splitRows } from './split.ts';
import { trainPlain } from './train-plain.ts';
import type { VerifiedSpec } from './spec.ts';
import type { Direction } from '../verify/spec.ts';
import { violationRegion, type ViolationRegion } from '../verify/violation-region.ts';

export interface VerifiedProgress {
  readonly phase: 'data' | 'baselines' | 'training' | 'verifying' | 'done';
  readonly fraction: number;
  readonly message: string;
  /** During training: the epoch just finished. */
  readonly epoch?: EpochPoint;
  /** During verification: the share of the box proven so far. */
  readonly verifiedVolume?: number;
}

export interface VerifiedRunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: VerifiedProgress) => void;
}

export interface EpochPoint {
  readonly epoch: number;
  readonly round: number;
  readonly mse: number;
  readonly penalty: number;
}

export interface Correlation {
  readonly service: string;
  readonly metric: string;
  readonly pearson: number;
  readonly spearman: number;
  readonly n: number;
}

/** One model's scores on the same split: accuracy as vPALs defines it (normalised target), errors in µs. */
export interface ModelScore {
  readonly model: string;
  readonly kind: 'baseline' | 'mlp';
  readonly trainAccuracy: number;
  readonly testAccuracy: number;
  readonly trainRmse: number;
  readonly testRmse: number;
  readonly testMae: number;
  /** Whether the model satisfies the spec: proven (verified), refuted (falsified), by construction, or unknown. */
  readonly monotone: 'verified' | 'falsified' | 'by construction' | 'unknown' | 'not-proven' | 'violated';
  readonly note?: string;
}

/** A verification's outcome, with the counterexample in the inputs' own units. */
export interface VerificationSummary {
  readonly network: 'unverified' | 'verified';
  readonly mode: VerifyResult['mode'];
  readonly status: VerifyResult['status'];
  readonly verifiedVolume: number;
  readonly seconds: number;
  readonly boxes: number;
  /** Bounds used, and the exact step's solver and work (complete mode); why it was not there, if it was not. */
  readonly bounds: VerifyResult['bounds'];
  readonly milp: VerifyResult['milp'];
  /** Why an unknown answer stopped short: the work budget (reproducible) or the wall-clock guard (this machine's speed). */
  readonly stoppedBy?: VerifyResult['stoppedBy'];
  readonly counterexample?: CounterexampleView;
}

export interface CounterexampleView {
  /** Where it was found: the unverified network, or a round of counterexample-guided training. */
  readonly foundOn: string;
  readonly input: string;
  /** The pair, in the inputs' units; lo and hi differ only in `input`. */
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  /** Predictions at the pair by the network it was found on, µs. */
  readonly fLo: number;
  readonly fHi: number;
  /**
   * The sub-box around the pair where that network's slope along `input` provably goes the wrong way everywhere
   * (core/verify/violation-region.ts), in the inputs' units, and its share of the box's volume; null when the bounds
   * certify none (the pair sits on a kink).
   */
  readonly region: { readonly lo: readonly number[]; readonly hi: readonly number[]; readonly volume: number } | null;
}

/** The prediction along the violated input through a pair, with every other input held: the partial-dependence line. */
export interface DependenceCurve {
  readonly counterexample: number;
  readonly x: readonly number[];
  readonly unverified: readonly number[];
  readonly verified: readonly number[];
}

export interface RoundSummary {
  readonly round: number;
  readonly epochs: number;
  readonly status: VerifyResult['status'];
  readonly verifiedVolume: number;
  readonly seconds: number;
  readonly pairs: number;
  readonly stoppedBy?: VerifyResult['stoppedBy'];
  readonly counterexample?: number;
}

export interface VerifiedResults {
  readonly lab: 'verified';
  readonly spec: VerifiedSpec;
  readonly backend: string;
  readonly service: string;
  readonly target: { readonly id: string; readonly transform: 'none' | 'log' };
  readonly inputs: readonly (MetricInfo & { readonly direction: Direction; readonly boxLo: number; readonly boxHi: number })[];
  readonly data: {
    readonly rows: number;
    readonly trainRows: number;
    readonly testRows: number;
    readonly configurations: number;
    readonly testConfigurations: readonly string[];
    readonly dropped: { readonly noRequests: number; readonly warmup: number; readonly missingInputs: number };
  };
  readonly correlations: readonly Correlation[];
  readonly scores: readonly ModelScore[];
  /** vPALs Figure 6: accuracy of both networks on train and test, and the share of counterexample pairs each orders as the spec wants. */
  readonly figure6: readonly { readonly set: 'train' | 'test' | 'counterexamples'; readonly unverified: number; readonly verified: number; readonly n: number }[];
  /** vPALs Figure 5: the loss per epoch and where the verifier ran. */
  readonly epochs: readonly EpochPoint[];
  readonly rounds: readonly RoundSummary[];
  readonly verifications: readonly VerificationSummary[];
  readonly counterexamples: readonly CounterexampleView[];
  readonly curves: readonly DependenceCurve[];
  /** Test-set truth and predictions (µs) for the data chart. */
  readonly testPoints: { readonly truth: readonly number[]; readonly unverified: readonly number[]; readonly verified: readonly number[]; readonly inputs: readonly (readonly number[])[] };
  readonly scaling: { readonly inputs: MinMax; readonly target: TargetScaling };
  readonly weights: { readonly unverified: readonly WeightData[]; readonly verified: readonly WeightData[] };
  readonly certificate: Certificate;
  /**
   * Verifications the wall-clock guard stopped before their work budget (verifier.seconds): their answers, and so
   * everything trained after them, depend on this machine's speed. Empty: the run is reproducible anywhere.
   */
  readonly clockStopped: readonly string[];
  readonly elapsedMs: number;
}

const MIN_ROWS = 20;
const MAX_COUNTEREXAMPLES = 32;
const CURVE_POINTS = 48;

/**
 * vPALs end to end on `tlab bench` bundles: correlations to choose inputs, baselines, an MLP trained with
 * counterexample-guided verification beside the same MLP trained for as many epochs without it, both verified
 * (ours and Ouroboros's method), Figure 5 and Figure 6, counterexamples with their dependence curves, and a
 * certificate for the verified network. Trains on the engine (its MLP is what the verifier and the hinge penalty
 * work on), with the kernel the compute target names.
 */
export function runVerifiedExperiment(spec: VerifiedSpec, bundles: readonly { readonly label: string; readonly bundle: Bundle }[], o: VerifiedRunOptions = {}): VerifiedResults {
  const start = performance.now();
  const progress = (p: VerifiedProgress) => o.onProgress?.(p);
  const cancelled = () => {
    if (o.signal?.aborted) throw new Error('the run was cancelled');
  };
  progress({ phase: 'data', fraction: 0, message: 'aligning latency with pressure and usage' });
  const data = buildVerifiedDataset(bundles, spec.warmupIntervals);
  if (!data.services.includes(spec.service)) {
    throw new DatasetError(`no latency rows for service "${spec.service}"; these bundles have ${data.services.map((s) => `"${s}"`).join(', ') || 'none'}`);
  }
  const correlations = correlate(data, spec.target);
  const { rows, missingInputs } = usableRows(data, spec.service, spec.inputs, spec.target);
  if (rows.length < MIN_ROWS) {
    throw new DatasetError(`only ${rows.length} usable rows for "${spec.service}" (${missingInputs} lack an input): at least ${MIN_ROWS} are needed`);
  }
  const rng = new Rng(spec.seed);
  const split = splitRows(rows, spec.split, (r) => data.config[r]!, rng);
  const infos = spec.inputs.map((id) => data.metrics.find((m) => m.id === id)!);
  const columns = spec.inputs.map((id) => data.values.get(id)!);
  const inputScaling = fitMinMax(columns, split.train);
  const y = data.latency[spec.target];
  const targetScaling = fitTarget(y, split.train, spec.targetTransform);
  const D = spec.inputs.length;
  const matrix = (rs: readonly number[]) => {
    const x = new Float32Array(rs.length * D);
    rs.forEach((r, k) => columns.forEach((c, d) => (x[k * D + d] = scaleInput(inputScaling, d, c[r]!))));
    return x;
  };
  const xTrain = matrix(split.train);
  const xTest = matrix(split.test);
  const yTrain = Float32Array.from(split.train, (r) => scaleTarget(targetScaling, y[r]!));
  const yTest = Float32Array.from(split.test, (r) => scaleTarget(targetScaling, y[r]!));
  const directions = spec.inputs.map((id) => spec.monotone[id] ?? 'free');
  // The box in the inputs' units: the spec's, else the training range; scaled as the network sees it.
  const boxReal: [number, number][] = spec.inputs.map((id, d) => spec.box[id] ?? [inputScaling.min[d]!, inputScaling.max[d]!]);
  const monotoneSpec: MonotoneSpec = {
    directions,
    lo: boxReal.map(([lo], d) => scaleInput(inputScaling, d, lo)),
    hi: boxReal.map(([, hi], d) => scaleInput(inputScaling, d, hi)),
  };
  const toReal = (v: number) => targetToReal(targetScaling, v);
  const realX = (x: readonly number[]) => x.map((v, d) => unscaleInput(inputScaling, d, v));
  cancelled();

  progress({ phase: 'baselines', fraction: 0.02, message: 'fitting the linear and isotonic baselines' });
  const baselines = fitBaselines(xTrain, yTrain, D, directions, spearmanOnTrain(columns, y, split.train));
  const scoreOf = (name: string, kind: ModelScore['kind'], predict: (x: Float32Array, rows: number) => Float64Array, monotone: ModelScore['monotone'], note?: string): ModelScore => {
    const pTrain = predict(xTrain, split.train.length);
    const pTest = predict(xTest, split.test.length);
    return {
      model: name,
      kind,
      trainAccuracy: accuracy(pTrain, yTrain, spec.accuracyTolerance),
      testAccuracy: accuracy(pTest, yTest, spec.accuracyTolerance),
      trainRmse: realRmse(pTrain, split.train, y, toReal),
      testRmse: realRmse(pTest, split.test, y, toReal),
      testMae: realMae(pTest, split.test, y, toReal),
      monotone,
      ...(note ? { note } : {}),
    };
  };
  const scores: ModelScore[] = baselines.map((b: BaselineModel) => scoreOf(b.name, 'baseline', b.predict, b.monotone, b.note));

  const config: MlpConfig = { inputs: D, hidden: spec.model.hidden, outputs: 1 };
  const initial = mlpInitialWeights(config, new Rng(spec.seed));
  const kernel = engineKernel();
  const epochs: EpochPoint[] = [];
  const width = monotoneSpec.lo.map((l, d) => monotoneSpec.hi[d]! - l);
  const meanWidth = width.reduce((a, b) => a + b, 0) / D;
  const plannedEpochs = spec.cegis.epochsPerRound * spec.cegis.maxRounds;
  const trainingShare = 0.6;
  const outcome = trainVerified(config, initial, xTrain, yTrain, monotoneSpec, {
    seed: spec.seed,
    epochsPerRound: spec.cegis.epochsPerRound,
    maxRounds: spec.cegis.maxRounds,
    batchSize: spec.model.batchSize,
    learningRate: spec.model.learningRate,
    pairWeight: spec.cegis.pairWeight,
    epsilon: spec.cegis.epsilon * meanWidth,
    randomPairsPerStep: spec.cegis.randomPairsPerStep,
    margin: spec.cegis.margin,
    verifySeconds: spec.verifier.seconds,
    verify: { work: { boxes: spec.verifier.boxes, milpNodes: spec.verifier.milpNodes } },
    regions: true,
    kernel,
    ...(o.signal ? { signal: o.signal } : {}),
    onEpoch: (e) => {
      epochs.push(e);
      progress({ phase: 'training', fraction: 0.05 + trainingShare * 0.8 * Math.min(1, e.epoch / plannedEpochs), message: `round ${e.round}: epoch ${e.epoch}, MSE ${e.mse.toFixed(4)}, penalty ${e.penalty.toFixed(4)}`, epoch: e });
    },
    onRound: (r) => progress({ phase: 'training', fraction: 0.05 + trainingShare * 0.8 * Math.min(1, r.epochs / plannedEpochs), message: `round ${r.round}: the verifier says ${r.result.status} (${(r.result.verifiedVolume * 100).toFixed(1)}% of the box proven, ${r.result.seconds.toFixed(1)} s)` }),
  });
  const totalEpochs = outcome.rounds.at(-1)?.epochs ?? 0;
  cancelled();
  // vPALs' comparison: the same network, seed and data, trained as many epochs without the verifier.
  progress({ phase: 'training', fraction: 0.05 + trainingShare * 0.85, message: `training the unverified network for the same ${totalEpochs} epochs` });
  const unverifiedWeights = trainPlain(config, initial, xTrain, yTrain, { seed: spec.seed, epochs: totalEpochs, batchSize: spec.model.batchSize, learningRate: spec.model.learningRate, kernel, ...(o.signal ? { signal: o.signal } : {}) });
  const nets = { unverified: reluNetFromWeights(unverifiedWeights), verified: reluNetFromWeights(outcome.weights) };
  cancelled();

  const dataRows = Array.from({ length: Math.min(split.train.length, 256) }, (_, k) => Array.from(xTrain.subarray(k * D, (k + 1) * D)));
  const verifications: VerificationSummary[] = [];
  const counterexamples: CounterexampleView[] = [];
  const pairs: Counterexample[] = [];
  // fLo and fHi are the verifier's own evaluations, on the network the pair was found on (for a training round's
  // pair, that round's network, which no longer exists; the curves show the final networks through it).
  const view = (c: Counterexample, foundOn: string, region: ViolationRegion | null): CounterexampleView => ({
    foundOn,
    input: spec.inputs[c.input]!,
    lo: realX(c.lo),
    hi: realX(c.hi),
    fLo: toReal(c.fLo),
    fHi: toReal(c.fHi),
    region: region ? { lo: realX(region.lo), hi: realX(region.hi), volume: region.volume } : null,
  });
  const fromSource = new Map<boolean, number>();
  const record = (c: Counterexample, foundOn: string, region: ViolationRegion | null) => {
    // Up to MAX_COUNTEREXAMPLES from training and as many from the unverified network, so neither crowds out the other.
    const training = foundOn.startsWith('training');
    const n = fromSource.get(training) ?? 0;
    if (n >= MAX_COUNTEREXAMPLES) return;
    fromSource.set(training, n + 1);
    pairs.push(c);
    counterexamples.push(view(c, foundOn, region));
  };
  outcome.counterexamples.forEach((c, k) => record(c, `training round ${outcome.counterexampleRounds[k]}`, outcome.counterexampleRegions[k] ?? null));
  const modes = spec.verifier.ouroboros ? (['complete', 'ouroboros'] as const) : (['complete'] as const);
  const verifyShare = 1 - 0.05 - trainingShare;
  let step = 0;
  const totalSteps = modes.length * 2;
  for (const network of ['unverified', 'verified'] as const) {
    for (const mode of modes) {
      cancelled();
      const base = 0.05 + trainingShare + (verifyShare * step) / totalSteps;
      progress({ phase: 'verifying', fraction: base, message: `verifying the ${network} network (${mode === 'complete' ? 'complete verifier' : 'Ouroboros\'s interval method'})`, verifiedVolume: 0 });
      const r = verifyMonotone(nets[network], monotoneSpec, {
        mode,
        data: dataRows,
        seed: spec.seed,
        maxSeconds: spec.verifier.seconds,
        work: { boxes: spec.verifier.boxes, milpNodes: spec.verifier.milpNodes },
        onProgress: (p) => progress({ phase: 'verifying', fraction: base, message: `verifying the ${network} network (${mode}): ${(p.verifiedVolume * 100).toFixed(1)}% proven, ${p.boxes} boxes, ${p.seconds.toFixed(1)} s`, verifiedVolume: p.verifiedVolume }),
      });
      step++;
      let cex: CounterexampleView | undefined;
      if (r.counterexample) {
        cex = view(r.counterexample, `${network} network`, violationRegion(nets[network], monotoneSpec, r.counterexample));
        if (network === 'unverified' && mode === 'complete') record(r.counterexample, 'unverified network', violationRegion(nets.unverified, monotoneSpec, r.counterexample));
      }
      verifications.push({ network, mode, status: r.status, verifiedVolume: r.verifiedVolume, seconds: r.seconds, boxes: r.boxes, bounds: r.bounds, milp: r.milp, ...(r.stoppedBy ? { stoppedBy: r.stoppedBy } : {}), ...(cex ? { counterexample: cex } : {}) });
    }
  }
  // More pairs on the unverified network (vPALs' counterexample set is what the verifier found along the way).
  const unverifiedComplete = verifications.find((v) => v.network === 'unverified' && v.mode === 'complete')!;
  if (unverifiedComplete.status === 'falsified') {
    for (const c of collectCounterexamples(nets.unverified, monotoneSpec, dataRows, rng, MAX_COUNTEREXAMPLES - (fromSource.get(false) ?? 0))) record(c, 'unverified network', violationRegion(nets.unverified, monotoneSpec, c));
  }

  const monotoneOf = (network: 'unverified' | 'verified'): ModelScore['monotone'] => verifications.find((v) => v.network === network && v.mode === 'complete')!.status;
  const predictNet = (net: ReluNet) => (x: Float32Array, n: number) => Float64Array.from({ length: n }, (_, k) => evaluate(net, x.subarray(k * D, (k + 1) * D)));
  scores.push(scoreOf(`MLP ${spec.model.hidden.join('×')} (unverified)`, 'mlp', predictNet(nets.unverified), monotoneOf('unverified'), `${totalEpochs} epochs, no verifier`));
  scores.push(
    scoreOf(`MLP ${spec.model.hidden.join('×')} (verified training)`, 'mlp', predictNet(nets.verified), monotoneOf('verified'), `${totalEpochs} epochs, ${outcome.rounds.length} verification rounds, ${outcome.rounds.at(-1)?.pairs ?? 0} counterexample pairs`),
  );

  const ordered = (net: ReluNet) => (pairs.length === 0 ? Number.NaN : pairs.filter((c) => (evaluate(net, c.hi) - evaluate(net, c.lo)) * wantedSign(directions[c.input]!) >= 0).length / pairs.length);
  const accOf = (net: ReluNet, x: Float32Array, yy: Float32Array) => accuracy(predictNet(net)(x, yy.length), yy, spec.accuracyTolerance);
  const figure6 = [
    { set: 'train' as const, unverified: accOf(nets.unverified, xTrain, yTrain), verified: accOf(nets.verified, xTrain, yTrain), n: split.train.length },
    { set: 'test' as const, unverified: accOf(nets.unverified, xTest, yTest), verified: accOf(nets.verified, xTest, yTest), n: split.test.length },
    { set: 'counterexamples' as const, unverified: ordered(nets.unverified), verified: ordered(nets.verified), n: pairs.length },
  ];

  const curves: DependenceCurve[] = pairs.map((c, k) => {
    const xs = Array.from({ length: CURVE_POINTS }, (_, j) => monotoneSpec.lo[c.input]! + (j / (CURVE_POINTS - 1)) * width[c.input]!);
    const along = (net: ReluNet) =>
      xs.map((t) => {
        const p = [...c.lo];
        p[c.input] = t;
        return toReal(evaluate(net, p));
      });
    return { counterexample: k, x: xs.map((t) => unscaleInput(inputScaling, c.input, t)), unverified: along(nets.unverified), verified: along(nets.verified) };
  });

  const verifiedFinal = verifications.find((v) => v.network === 'verified' && v.mode === 'complete')!;
  const engine = describeEngine(kernel);
  const certificate: Certificate = {
    format: CERTIFICATE_FORMAT,
    inputs: spec.inputs.map((id, d) => ({ id, direction: directions[d]!, lo: boxReal[d]![0], hi: boxReal[d]![1] })),
    spec: monotoneSpec,
    method: 'complete',
    result: verifiedFinal.status,
    verifiedVolume: verifiedFinal.verifiedVolume,
    seconds: verifiedFinal.seconds,
    boxes: verifiedFinal.boxes,
    weightsHash: hashWeights(outcome.weights),
    engine,
    createdAt: new Date().toISOString(),
  };
  const testPred = (net: ReluNet) => Array.from(predictNet(net)(xTest, split.test.length), toReal);
  progress({ phase: 'done', fraction: 1, message: 'done' });
  return {
    lab: 'verified',
    spec,
    backend: engine,
    service: spec.service,
    target: { id: spec.target, transform: spec.targetTransform },
    inputs: infos.map((m, d) => ({ ...m, direction: directions[d]!, boxLo: boxReal[d]![0], boxHi: boxReal[d]![1] })),
    data: {
      rows: rows.length,
      trainRows: split.train.length,
      testRows: split.test.length,
      configurations: new Set(rows.map((r) => data.config[r]!)).size,
      testConfigurations: split.testConfigurations,
      dropped: { ...data.dropped, missingInputs },
    },
    correlations,
    scores,
    figure6,
    epochs,
    rounds: outcome.rounds.map((r: CegisRound) => ({
      round: r.round,
      epochs: r.epochs,
      status: r.result.status,
      verifiedVolume: r.result.verifiedVolume,
      seconds: r.result.seconds,
      pairs: r.pairs,
      ...(r.result.stoppedBy ? { stoppedBy: r.result.stoppedBy } : {}),
      ...(r.result.counterexample ? { counterexample: pairs.indexOf(r.result.counterexample) } : {}),
    })),
    clockStopped: [
      ...outcome.rounds.filter((r) => r.result.stoppedBy === 'time').map((r) => `training round ${r.round}`),
      ...verifications.filter((v) => v.stoppedBy === 'time').map((v) => `${v.network} network (${v.mode})`),
    ],
    verifications,
    counterexamples,
    curves,
    testPoints: { truth: split.test.map((r) => y[r]!), unverified: testPred(nets.unverified), verified: testPred(nets.verified), inputs: split.test.map((r) => columns.map((c) => c[r]!)) },
    scaling: { inputs: inputScaling, target: targetScaling },
    weights: { unverified: unverifiedWeights, verified: outcome.weights },
    certificate,
    elapsedMs: performance.now() - start,
  };
}

/** Pearson and Spearman of every metric with the latency target, per service (vPALs Figure 2). */
export function correlate(data: VerifiedDataset, target: VerifiedSpec['target']): Correlation[] {
  const out: Correlation[] = [];
  for (const service of data.services) {
    for (const m of data.metrics) {
      const v = data.values.get(m.id)!;
      const a: number[] = [];
      const b: number[] = [];
      for (let r = 0; r < v.length; r++) {
        if (data.service[r] !== service) continue;
        const x = v[r]!;
        const t = data.latency[target][r]!;
        if (Number.isFinite(x) && Number.isFinite(t)) {
          a.push(x);
          b.push(t);
        }
      }
      if (a.length < 3) continue;
      out.push({ service, metric: m.id, pearson: pearson(a, b), spearman: spearman(a, b), n: a.length });
    }
  }
  return out;
}

function spearmanOnTrain(columns: readonly Float64Array[], y: Float64Array, train: readonly number[]): number[] {
  const t = train.map((r) => y[r]!);
  return columns.map((c) => spearman(train.map((r) => c[r]!), t));
}

function accuracy(pred: ArrayLike<number>, truth: ArrayLike<number>, tol: number): number {
  if (truth.length === 0) return Number.NaN;
  let ok = 0;
  for (let i = 0; i < truth.length; i++) if (Math.abs(pred[i]! - truth[i]!) < tol) ok++;
  return ok / truth.length;
}

function realRmse(pred: ArrayLike<number>, rows: readonly number[], y: Float64Array, toReal: (v: number) => number): number {
  if (rows.length === 0) return Number.NaN;
  let s = 0;
  rows.forEach((r, k) => (s += (toReal(pred[k]!) - y[r]!) ** 2));
  return Math.sqrt(s / rows.length);
}

function realMae(pred: ArrayLike<number>, rows: readonly number[], y: Float64Array, toReal: (v: number) => number): number {
  if (rows.length === 0) return Number.NaN;
  let s = 0;
  rows.forEach((r, k) => (s += Math.abs(toReal(pred[k]!) - y[r]!)));
  return s / rows.length;
}
