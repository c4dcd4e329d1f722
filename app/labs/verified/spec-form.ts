import { LATENCY_TARGETS, parseVerifiedSpec, type LatencyTarget, type VerifiedSpec, type VerifiedSpecInput } from '../../../core/verified-lab/spec.ts';
import type { VerifiedListing } from '../../../workers/verified-lab/protocol.ts';
import { datasetRelative } from '../url-spec.ts';

/**
 * What the verified lab's form holds and how it becomes a spec (and back, for an imported spec file). Numbers stay
 * numbers (NaN for an empty field) and lists stay text as typed, so the spec's own validation says what is wrong.
 */
export type Direction = 'increasing' | 'decreasing' | 'free';

export const TARGET_CHOICES: readonly { id: LatencyTarget; label: string }[] = [
  { id: 'p99_us', label: 'p99 latency' },
  { id: 'p50_us', label: 'p50 latency' },
  { id: 'mean_us', label: 'mean latency' },
  { id: 'max_us', label: 'max latency' },
];

export interface InputForm {
  direction: Direction;
  /** The box's bounds as typed; empty means the training rows' range (the runner's default). */
  lo: string;
  hi: string;
}

export interface LabSettings {
  /** Paths of the chosen bundles (relative to datasets/verified/, or a dropped file's name). */
  bundles: string[];
  service: string;
  target: LatencyTarget;
  targetTransform: 'none' | 'log';
  /** Chosen inputs, in the order the spec lists them. */
  inputs: string[];
  /** Per input id (kept when an input is unticked, so ticking it again restores what was set). */
  perInput: Record<string, InputForm>;
  splitBy: 'configuration' | 'row';
  testShare: number;
  warmupIntervals: number;
  accuracyTolerance: number;
  /** As typed ("300, 300"). */
  hidden: string;
  batchSize: number;
  learningRate: number;
  epochsPerRound: number;
  maxRounds: number;
  pairWeight: number;
  epsilon: number;
  randomPairsPerStep: number;
  margin: number;
  verifierBoxes: number;
  verifierMilpNodes: number;
  verifierSeconds: number;
  ouroboros: boolean;
  seed: number;
}

/** The core's defaults (vPALs Table 6: two hidden layers of 300), no inputs until the bundles are read. */
export function defaultSettings(): LabSettings {
  return {
    bundles: [],
    service: '',
    target: 'p99_us',
    targetTransform: 'log',
    inputs: [],
    perInput: {},
    splitBy: 'configuration',
    testShare: 0.2,
    warmupIntervals: 1,
    accuracyTolerance: 0.05,
    hidden: '300, 300',
    batchSize: 64,
    learningRate: 1e-3,
    epochsPerRound: 40,
    maxRounds: 8,
    pairWeight: 10,
    epsilon: 0.05,
    randomPairsPerStep: 32,
    margin: 0.001,
    verifierBoxes: 400,
    verifierMilpNodes: 1000,
    verifierSeconds: 60,
    ouroboros: true,
    seed: 1,
  };
}

/** "300, 300" → [300, 300]; anything that is not a whole number becomes NaN for the spec to name. */
export function parseHidden(text: string): number[] {
  return text
    .split(/[\s,;×]+/)
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : Number.NaN));
}

/** An empty field is "not given"; anything else must be a number (NaN otherwise, named by the form's check). */
function bound(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
}

/**
 * The inputs vPALs found useful (Table 3: PSI cpu some, io full, io some, disk time, CPU time) plus the
 * configuration, as these bundles name them. Each comes in two scopes (the system's and the service's cgroup for
 * PSI, the service's group and the system for usage): the one more strongly rank-correlated with the service's
 * latency is taken. Metrics read in under half the intervals, or constant over the service's intervals (no
 * correlation is defined: nothing to learn from), are left out.
 */
export function defaultInputs(listing: VerifiedListing, service: string): string[] {
  const usable = new Set(listing.metrics.filter((m) => m.coverage >= 0.5).map((m) => m.id));
  const strength = new Map<string, number>();
  for (const c of listing.correlations) {
    if (c.service !== service) continue;
    const v = Math.max(Number.isFinite(c.spearman) ? Math.abs(c.spearman) : -1, Number.isFinite(c.pearson) ? Math.abs(c.pearson) : -1);
    if (v >= 0) strength.set(c.metric, v);
  }
  const varies = (id: string) => usable.has(id) && strength.has(id);
  const strongest = (...ids: string[]) => ids.filter(varies).sort((a, b) => strength.get(b)! - strength.get(a)!)[0];
  const picks = [
    strongest('psi:system:cpu:some', 'psi:cgroup:cpu:some'),
    strongest('psi:system:io:some', 'psi:cgroup:io:some'),
    strongest('psi:system:io:full', 'psi:cgroup:io:full'),
    strongest('usage:group:cpu', 'usage:system:cpu'),
    strongest('usage:group:disk', 'usage:system:disk'),
    strongest('config:level'),
    ...[...usable].filter((id) => (id.startsWith('config:kind:') || id.startsWith('config:mix:')) && varies(id)).sort(),
  ];
  return picks.filter((id): id is string => id !== undefined);
}

/**
 * vPALs Table 5: latency must not fall as pressure rises (PSI inputs increasing). Usage is left free: more CPU
 * time can mean more requests served, not more contention. The interference level is free too, since its effect
 * shows through the pressure it causes.
 */
export function defaultDirection(id: string): Direction {
  return id.startsWith('psi:') ? 'increasing' : 'free';
}

export function inputForm(s: LabSettings, id: string): InputForm {
  return s.perInput[id] ?? { direction: defaultDirection(id), lo: '', hi: '' };
}

/** The service with the most rows (vPALs trains one learner per application). */
export function defaultService(listing: VerifiedListing): string {
  return [...listing.services].sort((a, b) => b.rows - a.rows || a.name.localeCompare(b.name))[0]?.name ?? '';
}

/** The spec the worker runs and `tlab run` replays. */
export function buildSpec(s: LabSettings): VerifiedSpecInput {
  const monotone: Record<string, Direction> = {};
  const box: Record<string, [number, number]> = {};
  for (const id of s.inputs) {
    const f = inputForm(s, id);
    if (f.direction !== 'free') monotone[id] = f.direction;
    const lo = bound(f.lo);
    const hi = bound(f.hi);
    if (lo !== null || hi !== null) box[id] = [lo ?? Number.NaN, hi ?? Number.NaN];
  }
  return {
    lab: 'verified',
    seed: s.seed,
    bundles: s.bundles.map((path) => ({ path })),
    service: s.service,
    target: s.target,
    targetTransform: s.targetTransform,
    inputs: [...s.inputs],
    monotone,
    box,
    split: { by: s.splitBy, test: s.testShare },
    warmupIntervals: s.warmupIntervals,
    accuracyTolerance: s.accuracyTolerance,
    model: { hidden: parseHidden(s.hidden), batchSize: s.batchSize, learningRate: s.learningRate },
    cegis: { epochsPerRound: s.epochsPerRound, maxRounds: s.maxRounds, pairWeight: s.pairWeight, epsilon: s.epsilon, randomPairsPerStep: s.randomPairsPerStep, margin: s.margin },
    verifier: { boxes: s.verifierBoxes, milpNodes: s.verifierMilpNodes, seconds: s.verifierSeconds, ouroboros: s.ouroboros },
  };
}

/**
 * What is wrong, in words, or null: what only the form knows first (a bound given alone, bundles, the listing),
 * then the core's validation.
 */
export function specProblem(s: LabSettings, listing: VerifiedListing | null): string | null {
  if (s.bundles.length === 0) return 'Choose at least one bundle.';
  if (listing && !listing.services.some((x) => x.name === s.service)) return s.service ? `These bundles have no latency rows for service "${s.service}".` : 'Choose a service.';
  if (s.inputs.length === 0) return 'Choose at least one input (tick metrics in the correlation table).';
  for (const id of s.inputs) {
    const f = inputForm(s, id);
    const lo = bound(f.lo);
    const hi = bound(f.hi);
    if (Number.isNaN(lo) || Number.isNaN(hi)) return `The box of "${id}" needs numbers (or both fields empty for the training range).`;
    if ((lo === null) !== (hi === null)) return `The box of "${id}" needs both lo and hi (or both empty for the training range).`;
  }
  if (listing) {
    const missing = s.inputs.find((id) => !listing.metrics.some((m) => m.id === id));
    if (missing) return `These bundles have no input "${missing}".`;
  }
  if (!s.inputs.some((id) => inputForm(s, id).direction !== 'free')) return 'Mark at least one input increasing or decreasing: with every input free there is nothing to verify.';
  try {
    parseVerifiedSpec(buildSpec(s));
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return null;
}

/** A spec (validated, defaults filled in) as the form's settings: what an imported spec file sets. */
export function settingsFromSpec(spec: VerifiedSpec): LabSettings {
  const perInput: Record<string, InputForm> = {};
  for (const id of spec.inputs) {
    const b = spec.box[id];
    perInput[id] = { direction: spec.monotone[id] ?? 'free', lo: b ? String(b[0]) : '', hi: b ? String(b[1]) : '' };
  }
  return {
    bundles: spec.bundles.map((b) => b.path),
    service: spec.service,
    target: spec.target,
    targetTransform: spec.targetTransform,
    inputs: [...spec.inputs],
    perInput,
    splitBy: spec.split.by,
    testShare: spec.split.test,
    warmupIntervals: spec.warmupIntervals,
    accuracyTolerance: spec.accuracyTolerance,
    hidden: spec.model.hidden.join(', '),
    batchSize: spec.model.batchSize,
    learningRate: spec.model.learningRate,
    epochsPerRound: spec.cegis.epochsPerRound,
    maxRounds: spec.cegis.maxRounds,
    pairWeight: spec.cegis.pairWeight,
    epsilon: spec.cegis.epsilon,
    randomPairsPerStep: spec.cegis.randomPairsPerStep,
    margin: spec.cegis.margin,
    verifierBoxes: spec.verifier.boxes,
    verifierMilpNodes: spec.verifier.milpNodes,
    verifierSeconds: spec.verifier.seconds,
    ouroboros: spec.verifier.ouroboros,
    seed: spec.seed,
  };
}

/** A bundle path of a spec as the lab names it: a file name relative to datasets/verified/ (a leading "verified/", "public/datasets/verified/" or "../…/public/datasets/verified/" is dropped: specs beside the datasets or in replays/). */
export function bundleKey(path: string): string {
  return datasetRelative(path, 'verified');
}

export function isLatencyTarget(v: string): v is LatencyTarget {
  return (LATENCY_TARGETS as readonly string[]).includes(v);
}
