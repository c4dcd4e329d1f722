import type { Bundle } from '../bundle/index.ts';
import { Rng } from '../ml/rng.ts';
import { describeModel, initialWeights, type SequenceModelConfig } from '../ml/sequence-config.ts';
import { CancelledError, predictLogits, topK, trainClassifier, type EpochRecord, type TrainProgress, type WindowSource } from '../ml/train.ts';
import { createBaseline } from './baselines.ts';
import { buildWindowBatch, featureLayout, fitNormaliser, type FeatureLayout, type Normaliser } from './features.ts';
import { streamLatency, type StreamLatency } from './stream-latency.ts';
import { maskUnknownClasses } from './unknown-masking.ts';
import { scorePositions } from './evaluate-baselines.ts';
import { confusion, type Confusion } from './metrics.ts';
import { KERNELORACLE2_REPORTED, METRIC_DIFFERENCES } from './seed-comparison.ts';
import { encodeSequences, targetClassCount } from './sequences.ts';
import { modelName, type ModelSpec, type SchedBundleRef, type SchedSpec } from './spec.ts';
import { extractSwitchTrace } from './switches.ts';
import { PREV_STATES, type EncodedSequence, type GroupedScores, type TraceRole } from './types.ts';
import { buildVocab } from './vocab.ts';
import { splitTrainValidation, windowPositions, type WindowPositions } from './windows.ts';

export interface SchedTraceInput {
  readonly ref: SchedBundleRef;
  readonly bundle: Bundle;
}

export interface SchedProgress {
  readonly phase: 'preparing' | 'baselines' | 'training' | 'testing' | 'latency' | 'done';
  /** 0..1 over the whole run. */
  readonly fraction: number;
  readonly message: string;
  readonly model?: string;
  readonly train?: TrainProgress;
}

export interface SchedRunOptions {
  /** The tfjs backend the run is on, for the report. */
  readonly backend: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SchedProgress) => void;
  /** Called as soon as a row (baseline or model) is scored, so a UI can show results while the rest trains. */
  readonly onRow?: (row: SchedResultRow) => void;
}

export interface InferenceFigures extends StreamLatency {
  readonly backend: string;
  readonly batchSize: number;
  /** Windows scored per second by the tfjs model in batches, on `backend`. */
  readonly batchedEventsPerSecond: number;
  /** One event at a time, state carried forward, typed-array engine (see core/ml/stream.ts). */
  readonly streamEngine: string;
}

export interface SchedResultRow {
  readonly name: string;
  readonly kind: 'baseline' | 'model';
  readonly description: string;
  readonly scores: GroupedScores;
  readonly confusion: Confusion;
  readonly training?: {
    readonly history: readonly EpochRecord[];
    readonly bestEpoch: number;
    readonly stoppedEarly: boolean;
    readonly trainMs: number;
    readonly steps: number;
    readonly stepsPerSecond: number;
  };
  readonly inference?: InferenceFigures;
}

export interface SchedResults {
  readonly lab: 'sched';
  readonly spec: SchedSpec;
  readonly backend: string;
  /** Names of the target's classes (the confusion matrices' ids index this). */
  readonly classNames: readonly string[];
  readonly vocab: readonly string[];
  readonly data: {
    readonly traces: readonly {
      readonly path: string;
      readonly workload: string;
      readonly role: TraceRole;
      readonly switches: number;
      /** Switches the recording lost (a CPU's chain broke) that were put back; see SwitchOptions.inferMissing. */
      readonly inferredSwitches: number;
      readonly sequences: number;
    }[];
    readonly trainWindows: number;
    readonly availableTrainWindows: number;
    readonly validationWindows: number;
    readonly testPositions: Partial<Record<TraceRole, number>>;
    readonly featureWidth: number;
  };
  readonly rows: readonly SchedResultRow[];
  readonly seed: { readonly reported: typeof KERNELORACLE2_REPORTED; readonly differences: typeof METRIC_DIFFERENCES };
  readonly elapsedMs: number;
}

const CONFUSION_CLASSES = 10;
const PREDICT_BATCH = 256;

export function targetClassNames(target: SchedSpec['target'], vocab: readonly string[], recentK: number): string[] {
  if (target === 'next-class') return [...vocab];
  if (target === 'prev-state') return [...PREV_STATES];
  return [...Array.from({ length: recentK }, (_, r) => (r === 0 ? 'same task again' : `${r + 1}th most recent`).replace('2th', '2nd').replace('3th', '3rd')), `none of the last ${recentK}`];
}

export function modelConfig(m: ModelSpec, inputSize: number, outputs: number): SequenceModelConfig {
  return m.kind === 'lstm'
    ? { kind: 'lstm', inputSize, embed: m.embed, units: m.units, layers: m.layers, outputs }
    : { kind: 'tcn', inputSize, embed: m.filters, filters: m.filters, kernel: m.kernel, dilations: m.dilations, outputs };
}

const groupedOf = ({ overall, byWorkload, byRole }: GroupedScores): GroupedScores => ({ overall, byWorkload, byRole });

/** At most `max` positions, evenly spaced (deterministic, and spread over every sequence). */
function evenly(all: WindowPositions, max: number): WindowPositions {
  if (all.pos.length <= max) return all;
  const pick = Int32Array.from({ length: max }, (_, i) => Math.floor((i * all.pos.length) / max));
  return { seq: Int32Array.from(pick, (j) => all.seq[j]!), pos: Int32Array.from(pick, (j) => all.pos[j]!) };
}

/** Evenly spaced positions, at most `max` per role, so every model and baseline is scored on the same switches. */
function capPerRole(seqs: readonly EncodedSequence[], all: WindowPositions, max: number): WindowPositions {
  const byRole = new Map<TraceRole, number[]>();
  for (let j = 0; j < all.pos.length; j++) {
    const role = seqs[all.seq[j]!]!.role;
    let list = byRole.get(role);
    if (!list) byRole.set(role, (list = []));
    list.push(j);
  }
  const keep: number[] = [];
  for (const list of byRole.values()) {
    if (list.length <= max) for (const j of list) keep.push(j);
    else for (let i = 0; i < max; i++) keep.push(list[Math.floor((i * list.length) / max)]!);
  }
  keep.sort((a, b) => a - b);
  return { seq: Int32Array.from(keep, (j) => all.seq[j]!), pos: Int32Array.from(keep, (j) => all.pos[j]!) };
}

function sampleWindows(all: WindowPositions, max: number, rng: Rng): WindowPositions {
  if (all.pos.length <= max) return all;
  const idx = rng.shuffle(Int32Array.from({ length: all.pos.length }, (_, i) => i)).subarray(0, max).sort();
  return { seq: Int32Array.from(idx, (j) => all.seq[j]!), pos: Int32Array.from(idx, (j) => all.pos[j]!) };
}

function windowSource(
  seqs: readonly EncodedSequence[],
  positions: WindowPositions,
  window: number,
  layout: FeatureLayout,
  norm: Normaliser,
  masking?: { readonly target: SchedSpec['target']; readonly rate: number; readonly rng: Rng },
): WindowSource {
  return {
    count: positions.pos.length,
    window,
    batch: (indices, allSteps) => {
      const b = buildWindowBatch(seqs, positions, indices, window, layout, norm);
      const y = allSteps ? stepTargets(seqs, positions, indices, window) : b.y;
      if (masking) maskUnknownClasses(b.x, y, window, layout, masking.target, masking.rate, masking.rng);
      return { x: b.x, y };
    },
  };
}

/** The target after every step of each window, [indices.length, window]. */
function stepTargets(seqs: readonly EncodedSequence[], positions: WindowPositions, indices: ArrayLike<number>, window: number): Int32Array {
  const y = new Int32Array(indices.length * window);
  for (let b = 0; b < indices.length; b++) {
    const j = indices[b]!;
    const s = seqs[positions.seq[j]!]!;
    y.set(s.target.subarray(positions.pos[j]! - window + 1, positions.pos[j]! + 1), b * window);
  }
  return y;
}

/**
 * Runs one scheduling-lab experiment: task classes and normalisation from training traces only, baselines and
 * models scored on the same test positions, per workload and seen vs unseen, with and without idle.
 */
export async function runSchedExperiment(spec: SchedSpec, inputs: readonly SchedTraceInput[], o: SchedRunOptions): Promise<SchedResults> {
  const start = performance.now();
  const rng = new Rng(spec.seed);
  const progress = (p: SchedProgress) => o.onProgress?.(p);
  const check = () => {
    if (o.signal?.aborted) throw new CancelledError();
  };
  progress({ phase: 'preparing', fraction: 0, message: 'decoding sched_switch events' });
  const traces = inputs.map((t) => extractSwitchTrace(t.bundle, { traceId: t.ref.path, workload: t.ref.workload, role: t.ref.role }));
  const vocab = buildVocab(
    traces.filter((t) => t.role === 'train'),
    { maxClasses: spec.maxClasses, minCount: spec.minClassCount },
  );
  const encode = { mode: spec.sequence, target: spec.target, recentK: spec.recentK } as const;
  const seqs = traces.flatMap((t) => encodeSequences(t, vocab, encode));
  const split = splitTrainValidation(
    seqs.filter((s) => s.role === 'train'),
    spec.validationFraction,
  );
  const test = seqs.filter((s) => s.role !== 'train');
  let numCpus = 1;
  for (const s of split.train) for (let i = 0; i < s.length; i++) numCpus = Math.max(numCpus, s.cpu[i]! + 1);
  const layout = featureLayout(vocab.names.length, numCpus, spec.recentK);
  const norm = fitNormaliser(split.train);
  const outputs = targetClassCount(spec.target, vocab.names.length, spec.recentK);
  const allTrain = windowPositions(split.train, spec.window, spec.stride);
  const trainPos = sampleWindows(allTrain, spec.maxTrainWindows, rng.fork());
  const valPos = evenly(windowPositions(split.validation, spec.window, spec.stride), spec.maxValidationWindows);
  const testPos = capPerRole(test, windowPositions(test, spec.window, 1), spec.maxTestPositions);
  if (testPos.pos.length === 0) throw new Error(`no test positions: every test trace is shorter than one window of ${spec.window} switches`);
  const testCounts: Partial<Record<TraceRole, number>> = {};
  for (let j = 0; j < testPos.seq.length; j++) {
    const r = test[testPos.seq[j]!]!.role;
    testCounts[r] = (testCounts[r] ?? 0) + 1;
  }
  const rows: SchedResultRow[] = [];
  const addRow = (row: SchedResultRow) => {
    rows.push(row);
    o.onRow?.(row);
  };
  const k = spec.topK;
  const nModels = spec.models.length;
  const modelShare = (i: number, within: number) => 0.1 + (0.85 * (i + within)) / Math.max(1, nModels);

  progress({ phase: 'baselines', fraction: 0.05, message: `scoring ${spec.baselines.length} baselines on ${testPos.pos.length.toLocaleString('en-US')} test positions` });
  for (const name of spec.baselines) {
    check();
    const b = createBaseline(name);
    b.fit(split.train, outputs);
    const r = scorePositions(test, testPos, k, (j) => b.rank(test[testPos.seq[j]!]!, testPos.pos[j]!, k));
    addRow({ name, kind: 'baseline', description: BASELINE_DESCRIPTIONS[name], scores: groupedOf(r), confusion: confusion(r.truth, r.top1, CONFUSION_CLASSES) });
  }

  for (let i = 0; i < nModels; i++) {
    check();
    const m = spec.models[i]!;
    const name = modelName(m, i, spec.models);
    const config = modelConfig(m, layout.width, outputs);
    const train = windowSource(split.train, trainPos, spec.window, layout, norm, { target: spec.target, rate: spec.unknownMasking, rng: rng.fork() });
    const val = windowSource(split.validation, valPos, spec.window, layout, norm);
    const trained = await trainClassifier(config, initialWeights(config, rng.fork()), train, val, {
      epochs: m.epochs,
      batchSize: m.batchSize,
      learningRate: m.learningRate,
      patience: m.patience,
      allSteps: spec.trainOn === 'every-step',
      rng: rng.fork(),
      signal: o.signal,
      onProgress: (tp) =>
        progress({
          phase: 'training',
          model: name,
          train: tp,
          fraction: modelShare(i, (0.8 * (tp.epoch - 1 + tp.batch / tp.batches)) / tp.epochs),
          message: `${name}: epoch ${tp.epoch}/${tp.epochs}, batch ${tp.batch}/${tp.batches}, loss ${tp.trainLoss.toFixed(3)}`,
        }),
    });
    progress({ phase: 'testing', model: name, fraction: modelShare(i, 0.8), message: `${name}: scoring ${testPos.pos.length.toLocaleString('en-US')} test positions` });
    const t0 = performance.now();
    const logits = await predictLogits(config, trained.weights, windowSource(test, testPos, spec.window, layout, norm), PREDICT_BATCH, undefined, o.signal);
    const predictMs = performance.now() - t0;
    const r = scorePositions(test, testPos, k, (j) => topK(logits, outputs, j, k));
    progress({ phase: 'latency', model: name, fraction: modelShare(i, 0.95), message: `${name}: timing per-event inference` });
    const stream = streamLatency(config, trained.weights, test, layout, norm, spec.latencyEvents);
    addRow({
      name,
      kind: 'model',
      description: describeModel(config),
      scores: groupedOf(r),
      confusion: confusion(r.truth, r.top1, CONFUSION_CLASSES),
      training: {
        history: trained.history,
        bestEpoch: trained.bestEpoch,
        stoppedEarly: trained.stoppedEarly,
        trainMs: trained.trainMs,
        steps: trained.steps,
        stepsPerSecond: trained.steps / (trained.trainMs / 1000),
      },
      inference: {
        backend: o.backend,
        batchSize: PREDICT_BATCH,
        batchedEventsPerSecond: testPos.pos.length / (predictMs / 1000),
        ...stream,
      },
    });
  }
  progress({ phase: 'done', fraction: 1, message: 'done' });
  return {
    lab: 'sched',
    spec,
    backend: o.backend,
    classNames: targetClassNames(spec.target, vocab.names, spec.recentK),
    vocab: vocab.names,
    data: {
      traces: traces.map((t) => ({
        path: t.traceId,
        workload: t.workload,
        role: t.role,
        switches: t.length,
        inferredSwitches: t.inferredCount,
        sequences: seqs.filter((s) => s.traceId === t.traceId).length,
      })),
      trainWindows: trainPos.pos.length,
      availableTrainWindows: allTrain.pos.length,
      validationWindows: valPos.pos.length,
      testPositions: testCounts,
      featureWidth: layout.width,
    },
    rows,
    seed: { reported: KERNELORACLE2_REPORTED, differences: METRIC_DIFFERENCES },
    elapsedMs: performance.now() - start,
  };
}

const BASELINE_DESCRIPTIONS: Record<SchedSpec['baselines'][number], string> = {
  'most-frequent': 'always the most frequent training target',
  'repeat-last': 'the previous switch\'s target again',
  'ping-pong': 'same as two switches ago',
  'ngram-1': 'Markov model of order 1 over targets (training counts)',
  'ngram-2': 'Markov model of order 2, backing off to lower orders',
  'ngram-3': 'Markov model of order 3, backing off to lower orders',
};
