import type { Bundle } from '../bundle/reader.ts';
import { dtw, euclidean, manhattan } from './distance.ts';
import { fingerprint, type ChangePointMethod, type Fingerprint } from './fingerprint.ts';
import { gbtPredict, trainGbt } from './gbt.ts';
import { classScores, type ClassScores } from './metrics.ts';
import { commonIds, runSeries, type RunSeries } from './series.ts';
import type { FingerprintSpec } from './spec.ts';
import { leaveOneOut, splitPerClass } from './split.ts';
import { decide, thresholds, type WorkloadThreshold } from './threshold.ts';

/**
 * The fingerprint lab's runner (CWD's three case studies on bundles):
 *  1. classification of known workloads: GBT on fingerprints beside a nearest-fingerprint classifier and the
 *     majority class, on CWD's 70/30 split per workload and on leave-one-run-out;
 *  2. unknown workloads: the classifier trained on every known run says which known workload each unknown run
 *     resembles (Table III), and the thresholds say whether it is known at all;
 *  3. thresholds: mean and std of the distances between runs of the same workload (Table IV), ED and DTW.
 */
export interface FingerprintInput {
  readonly path: string;
  readonly workload: string;
  readonly role: 'known' | 'unknown';
  readonly bundle?: Bundle;
  /** Series already extracted (the worker keeps them for charts); else taken from `bundle`. */
  readonly series?: RunSeries;
}

export interface RunSummary {
  readonly path: string;
  readonly workload: string;
  readonly role: 'known' | 'unknown';
  readonly samples: number;
  readonly changePoints: Record<string, number[]>;
}

export interface ModelScores {
  readonly model: 'gbt' | 'nearest' | 'majority';
  readonly scores: ClassScores;
}

export interface Evaluation {
  readonly split: '70/30' | 'leave-one-run-out';
  readonly trainRuns: number;
  readonly testRuns: number;
  readonly models: ModelScores[];
  /** Per test run (indices into runs): truth and each model's prediction (class names). */
  readonly predictions: { run: number; truth: string; gbt: string; nearest: string; majority: string }[];
}

export interface KnownRow {
  readonly run: number;
  readonly workload: string;
  readonly role: 'known' | 'unknown';
  readonly nearest: string;
  readonly distance: number;
  readonly threshold: number;
  readonly known: boolean;
  readonly correct: boolean;
}

export interface FingerprintResults {
  readonly spec: FingerprintSpec;
  readonly counters: { id: string; name: string }[];
  readonly classes: string[];
  readonly runs: RunSummary[];
  readonly featureCount: number;
  readonly distances: { euclidean: number[][]; dtw: number[][] };
  /** Average-linkage leaf order of the runs under the spec's distance (for the heatmap). */
  readonly clusterOrder: number[];
  /** Table IV: every workload's intra distances over all its runs, ED and DTW. */
  readonly similarityTable: { workload: string; dtw: WorkloadThreshold; euclidean: WorkloadThreshold }[];
  /** Thresholds from the 70/30 training runs of the known workloads, under the spec's distance. */
  readonly thresholds: WorkloadThreshold[];
  readonly knownUnknown: KnownRow[];
  readonly detection: { knownAccepted: number; knownTotal: number; unknownRejected: number; unknownTotal: number; knownNearestCorrect: number };
  /** Table III: per unknown workload, the share of its runs the GBT (trained on every known run) puts in each known class. */
  readonly resemblance: { workload: string; runs: number; gbt: Record<string, number>; nearest: Record<string, number> }[];
  readonly evaluations: Evaluation[];
  readonly partial?: { share: number; accuracy: number; fullAccuracy: number; n: number };
  readonly seconds: { fingerprint: number; distances: number; classify: number };
}

export interface FingerprintProgress {
  readonly phase: 'series' | 'fingerprints' | 'distances' | 'classifier' | 'done';
  readonly fraction: number;
  readonly message: string;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export function changePointMethod(spec: FingerprintSpec): ChangePointMethod {
  const c = spec.changePoints;
  return c.method === 'bocpd'
    ? { method: 'bocpd', params: { lambda: c.lambda, mu0: c.mu0, kappa0: c.kappa0, alpha0: c.alpha0, beta0: c.beta0, maxRunLength: c.maxRunLength, minSegment: c.minSegment } }
    : { method: 'pelt', params: { cost: c.cost, penalty: c.penalty, minSize: c.minSegment } };
}

/** DTW between two runs: per counter over its phase sequence (phase statistics, L1 local cost), summed. */
export function runDtw(a: Fingerprint, b: Fingerprint, band: number, subsequence = false): number {
  let s = 0;
  for (let c = 0; c < a.perCounter.length; c++) s += dtw(a.perCounter[c]!.phases, b.perCounter[c]!.phases, { band, subsequence, local: manhattan });
  return s;
}

export function runFingerprintExperiment(spec: FingerprintSpec, inputs: readonly FingerprintInput[], opts: { onProgress?: (p: FingerprintProgress) => void } = {}): FingerprintResults {
  const progress = opts.onProgress ?? (() => {});
  const t0 = now();
  progress({ phase: 'series', fraction: 0, message: 'reading series' });
  const series = inputs.map((r) => {
    if (r.series) return r.series;
    if (!r.bundle) throw new Error(`${r.path}: no bundle`);
    return runSeries(r.bundle, spec.sources, spec.includeSystem);
  });
  const ids = commonIds(series);
  if (ids.length === 0) throw new Error('no series is present in every bundle for the chosen sources');
  const cp = changePointMethod(spec);
  const fo = { normalisation: spec.normalisation, changePoints: cp, maxPhases: spec.maxPhases, adfLags: spec.adfLags };
  const fps = series.map((s, i) => {
    progress({ phase: 'fingerprints', fraction: (0.4 * i) / series.length, message: `fingerprint ${i + 1} of ${series.length}` });
    return fingerprint(s.series, ids, fo);
  });
  const t1 = now();
  const n = fps.length;
  progress({ phase: 'distances', fraction: 0.4, message: 'distances' });
  const ed = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const dt = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      ed[i]![j] = ed[j]![i] = euclidean(fps[i]!.vector, fps[j]!.vector);
      dt[i]![j] = dt[j]![i] = runDtw(fps[i]!, fps[j]!, spec.distance.band);
    }
  const D = spec.distance.kind === 'dtw' ? dt : ed;
  const dist = (i: number, j: number) => D[i]![j]!;
  const t2 = now();

  const labels = inputs.map((r) => r.workload);
  const known = inputs.map((_, i) => i).filter((i) => inputs[i]!.role === 'known');
  const unknown = inputs.map((_, i) => i).filter((i) => inputs[i]!.role === 'unknown');
  const classes = [...new Set(known.map((i) => labels[i]!))].sort();
  if (classes.length < 2) throw new Error('at least two known workloads are needed');

  // Table IV over all runs of every workload.
  const all = inputs.map((_, i) => i);
  const thEd = thresholds((i, j) => ed[i]![j]!, labels, all, spec.thresholdK);
  const thDt = thresholds((i, j) => dt[i]![j]!, labels, all, spec.thresholdK);
  const similarityTable = thEd.map((e) => ({ workload: e.workload, euclidean: e, dtw: thDt.find((d) => d.workload === e.workload)! }));

  // Case 1: 70/30 per workload and leave-one-run-out, known workloads only.
  const knownLabels = known.map((i) => labels[i]!);
  const split = splitPerClass(knownLabels, spec.split.trainShare, spec.seed);
  const s7030 = { train: split.train.map((k) => known[k]!), test: split.test.map((k) => known[k]!) };
  const folds = [{ name: '70/30' as const, folds: [s7030] }];
  if (spec.split.leaveOneRunOut) folds.push({ name: 'leave-one-run-out' as unknown as '70/30', folds: leaveOneOut(known.length).map((f) => ({ train: f.train.map((k) => known[k]!), test: f.test.map((k) => known[k]!) })) });
  const gbtParams = { ...spec.classifier, seed: spec.seed, subsample: 1, minChildWeight: 0.5 };
  const classify = (train: number[], test: number[]) => {
    const y = train.map((i) => classes.indexOf(labels[i]!));
    const model = trainGbt(train.map((i) => fps[i]!.vector), y, classes.length, gbtParams);
    const counts = classes.map((c) => train.filter((i) => labels[i] === c).length);
    const majority = classes[counts.indexOf(Math.max(...counts))]!;
    return test.map((q) => {
      let best = Infinity;
      let nn = train[0]!;
      for (const i of train) if (dist(q, i) < best) [best, nn] = [dist(q, i), i];
      return { run: q, truth: labels[q]!, gbt: classes[gbtPredict(model, fps[q]!.vector)]!, nearest: labels[nn]!, majority };
    });
  };
  const evaluations: Evaluation[] = [];
  let done = 0;
  const totalFolds = folds.reduce((a, f) => a + f.folds.length, 0) + 1;
  for (const f of folds) {
    const predictions: Evaluation['predictions'] = [];
    for (const fold of f.folds) {
      predictions.push(...classify(fold.train, fold.test));
      progress({ phase: 'classifier', fraction: 0.5 + (0.5 * ++done) / totalFolds, message: `${f.name}: fold ${predictions.length}` });
    }
    const truth = predictions.map((p) => classes.indexOf(p.truth));
    const models = (['gbt', 'nearest', 'majority'] as const).map((m) => ({ model: m, scores: classScores(truth, predictions.map((p) => classes.indexOf(p[m])), classes.length) }));
    evaluations.push({ split: f.name === '70/30' ? '70/30' : 'leave-one-run-out', trainRuns: f.folds[0]!.train.length, testRuns: predictions.length, models, predictions });
  }

  // Case 3's thresholds from the 70/30 training runs; the decision for known test runs and every unknown run.
  const th = thresholds(dist, labels, s7030.train, spec.thresholdK);
  const knownUnknown: KnownRow[] = [...s7030.test, ...unknown].map((q) => {
    const d = decide(q, dist, labels, s7030.train, th);
    const role = inputs[q]!.role;
    return { run: q, workload: labels[q]!, role, nearest: d.nearest, distance: d.distance, threshold: d.threshold, known: d.known, correct: role === 'known' ? d.known && d.nearest === labels[q] : !d.known };
  });
  const kr = knownUnknown.filter((r) => r.role === 'known');
  const ur = knownUnknown.filter((r) => r.role === 'unknown');
  const detection = {
    knownAccepted: kr.filter((r) => r.known).length,
    knownTotal: kr.length,
    unknownRejected: ur.filter((r) => !r.known).length,
    unknownTotal: ur.length,
    knownNearestCorrect: kr.filter((r) => r.nearest === r.workload).length,
  };

  // Case 2: what each unknown workload resembles (classifier trained on every known run).
  const resemblance: FingerprintResults['resemblance'] = [];
  if (unknown.length) {
    const preds = classify(known, unknown);
    for (const w of [...new Set(unknown.map((i) => labels[i]!))].sort()) {
      const mine = preds.filter((p) => p.truth === w);
      const share = (key: 'gbt' | 'nearest') => Object.fromEntries(classes.map((c) => [c, mine.filter((p) => p[key] === c).length / mine.length]));
      resemblance.push({ workload: w, runs: mine.length, gbt: share('gbt'), nearest: share('nearest') });
    }
  }

  // Partial runs: each 70/30 test run cut to its first share, matched to the training runs by subsequence DTW.
  let partial: FingerprintResults['partial'];
  if (spec.partialShare > 0 && spec.partialShare < 1) {
    let ok = 0;
    let okFull = 0;
    for (const q of s7030.test) {
      const s = series[q]!;
      const len = Math.max(spec.changePoints.minSegment * 2, Math.round(s.tS.length * spec.partialShare));
      const cut = new Map([...s.series].map(([k, v]) => [k, v.subarray(0, Math.min(len, v.length))]));
      const fp = fingerprint(cut, ids, fo);
      let best = Infinity;
      let lab = '';
      let bestFull = Infinity;
      let labFull = '';
      for (const i of s7030.train) {
        const d = runDtw(fp, fps[i]!, spec.distance.band, true);
        if (d < best) [best, lab] = [d, labels[i]!];
        if (dt[q]![i]! < bestFull) [bestFull, labFull] = [dt[q]![i]!, labels[i]!];
      }
      if (lab === labels[q]) ok++;
      if (labFull === labels[q]) okFull++;
    }
    partial = { share: spec.partialShare, accuracy: ok / s7030.test.length, fullAccuracy: okFull / s7030.test.length, n: s7030.test.length };
  }
  const t3 = now();
  progress({ phase: 'done', fraction: 1, message: 'done' });
  const runs: RunSummary[] = inputs.map((r, i) => ({
    path: r.path,
    workload: r.workload,
    role: r.role,
    samples: series[i]!.tS.length,
    changePoints: Object.fromEntries(fps[i]!.perCounter.map((c) => [c.counter, c.changePoints])),
  }));
  return {
    spec,
    counters: ids.map((id) => ({ id, name: series[0]!.names.get(id) ?? id })),
    classes,
    runs,
    featureCount: fps[0]!.vector.length,
    distances: { euclidean: ed, dtw: dt },
    clusterOrder: averageLinkageOrder(D),
    similarityTable,
    thresholds: th,
    knownUnknown,
    detection,
    resemblance,
    evaluations,
    partial,
    seconds: { fingerprint: (t1 - t0) / 1000, distances: (t2 - t1) / 1000, classify: (t3 - t2) / 1000 },
  };
}

/** Leaf order of average-linkage agglomerative clustering (ties: lowest indices first). */
export function averageLinkageOrder(D: readonly (readonly number[])[]): number[] {
  let clusters = D.map((_, i) => [i]);
  while (clusters.length > 1) {
    let best = Infinity;
    let ba = 0;
    let bb = 1;
    for (let a = 0; a < clusters.length; a++)
      for (let b = a + 1; b < clusters.length; b++) {
        let s = 0;
        for (const i of clusters[a]!) for (const j of clusters[b]!) s += D[i]![j]!;
        const d = s / (clusters[a]!.length * clusters[b]!.length);
        if (d < best) [best, ba, bb] = [d, a, b];
      }
    const merged = [...clusters[ba]!, ...clusters[bb]!];
    clusters = clusters.filter((_, k) => k !== ba && k !== bb);
    clusters.splice(ba, 0, merged);
  }
  return clusters[0] ?? [];
}
