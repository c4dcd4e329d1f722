import { BASELINE_NAMES, type BaselineName } from '../../../core/sched-lab/baselines.ts';
import { parseSchedSpec, type SchedBundleRef, type SchedSpec, type SchedSpecInput } from '../../../core/sched-lab/spec.ts';
import type { SchedTarget, SequenceMode } from '../../../core/sched-lab/types.ts';
import { datasetRelative } from '../url-spec.ts';

/**
 * What the lab's form holds, and how it becomes a spec. Numbers stay numbers (NaN for an empty field) so the
 * spec's own validation, not the form, says what is wrong.
 */
export type BundleRole = SchedBundleRef['role'] | 'unused';
export const BUNDLE_ROLES: readonly { id: BundleRole; label: string }[] = [
  { id: 'train', label: 'train' },
  { id: 'test-seen', label: 'test: seen' },
  { id: 'test-unseen', label: 'test: unseen' },
  { id: 'unused', label: 'not used' },
];

export interface LabBundle {
  /** Unique within the experiment: the spec's path, and so the trace's id. */
  path: string;
  workload: string;
  role: BundleRole;
  title: string;
  switches?: number | undefined;
  bytes?: number | undefined;
  source: { kind: 'dataset'; url: string } | { kind: 'file'; file: File } | { kind: 'open'; bundleId: string; name: string };
}

/** Spec fields the form does not show, kept from a loaded spec so that it round-trips unchanged. */
export type SpecExtra = Readonly<Record<string, unknown>>;

export interface LstmForm {
  id: number;
  kind: 'lstm';
  extra?: SpecExtra;
  units: number;
  layers: number;
  epochs: number;
}
export interface TcnForm {
  id: number;
  kind: 'tcn';
  extra?: SpecExtra;
  filters: number;
  kernel: number;
  /** As typed ("1, 2, 4, 8"): parsed only when the spec is built. */
  dilations: string;
  epochs: number;
}
export type ModelForm = LstmForm | TcnForm;

export interface LabSettings {
  target: SchedTarget;
  sequence: SequenceMode;
  window: number;
  stride: number;
  topK: number;
  maxTrainWindows: number;
  maxTestPositions: number;
  /** Share of each training sequence's chronological tail held out for early stopping (scored every epoch). */
  validationFraction: number;
  seed: number;
  models: ModelForm[];
  baselines: BaselineName[];
  extra?: SpecExtra;
}

export const TARGETS: readonly { id: SchedTarget; label: string }[] = [
  { id: 'next-class', label: 'next task class' },
  { id: 'recent-pointer', label: 'which recent task runs next' },
  { id: 'prev-state', label: 'next prev_state' },
];
export const SEQUENCE_MODES: readonly { id: SequenceMode; label: string }[] = [
  { id: 'per-cpu', label: 'per CPU' },
  { id: 'merged', label: 'all CPUs merged' },
];

let nextModelId = 1;
export const newLstm = (units = 32, epochs = 3): LstmForm => ({ id: nextModelId++, kind: 'lstm', units, layers: 1, epochs });
export const newTcn = (filters = 32, epochs = 3): TcnForm => ({ id: nextModelId++, kind: 'tcn', filters, kernel: 3, dilations: '1, 2, 4, 8', epochs });

/** Sized to finish in well under two minutes on a 2-core machine without a GPU. */
export function browserDefaults(seed = 1): LabSettings {
  return {
    target: 'next-class',
    sequence: 'per-cpu',
    window: 32,
    stride: 4,
    topK: 3,
    maxTrainWindows: 4000,
    maxTestPositions: 5000,
    validationFraction: 0.15,
    seed,
    models: [newLstm(), newTcn()],
    baselines: [...BASELINE_NAMES],
  };
}

/** KernelOracle2's shape: window 64, stride 4, five epochs, 64-wide models (the spec's defaults). Slow in a browser. */
export function kernelOracle2Preset(current: LabSettings): LabSettings {
  return { ...current, window: 64, stride: 4, maxTrainWindows: 20000, models: [newLstm(64, 5), newTcn(64, 5)] };
}

function parseDilations(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : Number.NaN));
}

/** The spec the worker runs and `tlab run` replays: only bundles with a role, paths as in the datasets folder. */
export function buildSpec(settings: LabSettings, bundles: readonly LabBundle[]): SchedSpecInput {
  const { models, extra, ...rest } = settings;
  return {
    lab: 'sched',
    ...extra,
    ...rest,
    bundles: bundles.filter((b) => b.role !== 'unused').map((b) => ({ path: b.path, workload: b.workload.trim(), role: b.role as SchedBundleRef['role'] })),
    models: models.map((m) =>
      m.kind === 'lstm'
        ? { ...m.extra, kind: 'lstm', units: m.units, layers: m.layers, epochs: m.epochs }
        : { ...m.extra, kind: 'tcn', filters: m.filters, kernel: m.kernel, dilations: parseDilations(m.dilations), epochs: m.epochs },
    ),
  };
}

/**
 * A spec (validated, defaults filled in) as the form's settings, what it does not show kept in `extra`; its bundles
 * (paths as in the datasets folder; a leading public/datasets/sched/ is dropped) with their roles.
 */
export function settingsFromSpec(spec: SchedSpec): { settings: LabSettings; bundles: SchedBundleRef[] } {
  const { lab: _lab, bundles, models, target, sequence, window, stride, topK, maxTrainWindows, maxTestPositions, validationFraction, seed, baselines, ...extra } = spec;
  return {
    settings: {
      target,
      sequence,
      window,
      stride,
      topK,
      maxTrainWindows,
      maxTestPositions,
      validationFraction,
      seed,
      baselines: [...baselines],
      extra,
      models: models.map((m): ModelForm => {
        if (m.kind === 'lstm') {
          const { kind: _k, units, layers, epochs, ...rest } = m;
          return { ...newLstm(units, epochs), layers, extra: rest };
        }
        const { kind: _k, filters, kernel, dilations, epochs, ...rest } = m;
        return { ...newTcn(filters, epochs), kernel, dilations: dilations.join(', '), extra: rest };
      }),
    },
    bundles: bundles.map((b) => ({ ...b, path: datasetRelative(b.path, 'sched') })),
  };
}

/** The spec's validation message in words, or null when it is valid. */
export function specProblem(spec: SchedSpecInput): string | null {
  try {
    parseSchedSpec(spec);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** A path for a dropped file that no other bundle has (the path is the trace's id in the results). */
/** What the lab needs of a bundle, said when one without it is offered. */
export const SCHED_NEEDS = 'sched_switch events (record with --sources sched, or add a trace-cmd/ftrace text)';

export function uniquePath(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const stem = name.replace(/\.tlab$/i, '');
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}.tlab`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** A workload label guessed from a file name ("pipe-3.tlab" → "pipe"); the user can change it. */
export function workloadFromFileName(name: string): string {
  return name.replace(/\.(tlab|txt|dat|log)$/i, '').replace(/[-_]\d+$/, '') || 'dropped';
}
