import type { SeriesFamily, SeriesInfo } from '../../../core/forecast/series.ts';
import { NEURAL_DEFAULTS } from '../../../core/forecast/grid.ts';
import { FORECAST_MODELS, parseForecastSpec, type ForecastSpec, type ForecastSpecInput, type INPUT_FAMILIES } from '../../../core/forecast/spec.ts';
import { datasetRelative } from '../url-spec.ts';

export type InputFamily = (typeof INPUT_FAMILIES)[number];

/**
 * What the forecast lab's form holds and how it becomes a spec. Lists stay text as typed and numbers stay numbers
 * (NaN for an empty field), so the spec's own validation, not the form, says what is wrong.
 */

export const MODEL_CHOICES = [
  { id: 'persistence', label: 'persistence', title: 'The last value, h intervals later' },
  { id: 'moving-average', label: 'moving average', title: 'Mean of the last k values' },
  { id: 'ridge', label: 'ridge', title: 'Linear regression with an L2 penalty chosen on validation' },
  { id: 'random-forest', label: 'random forest', title: 'Seeded bagged regression trees' },
  { id: 'lstm', label: 'LSTM', title: 'Recurrent network (regression on the normalised target, early stopping on validation)' },
  { id: 'tcn', label: 'TCN', title: 'Causal dilated residual convolutions' },
] as const;
export type ModelChoice = (typeof MODEL_CHOICES)[number]['id'];

/**
 * Input sets for the ablation. Syscalls enter either as the mean skip-gram vector of each interval's calls (the
 * seed paper's way; trained on the training span only) or as calls per interval of the most frequent names.
 */
export const INPUT_SET_CHOICES: readonly { id: string; families: InputFamily[]; label: string }[] = [
  { id: 'usage', families: ['usage'], label: 'usage' },
  { id: 'usage+syscall-embedding', families: ['usage', 'syscall-embedding'], label: 'usage + syscall embedding' },
  { id: 'usage+syscall-counts', families: ['usage', 'syscalls'], label: 'usage + syscall counts' },
  { id: 'usage+syscall-counts+psi', families: ['usage', 'syscalls', 'psi'], label: 'usage + syscall counts + PSI' },
  { id: 'usage+syscall-counts+psi+counters', families: ['usage', 'syscalls', 'psi', 'counters'], label: '… + counters' },
  // For imported time series (a CSV, a Prometheus query), which have no usage samples or syscalls.
  { id: 'history', families: [], label: 'the target\'s history alone' },
  { id: 'history+counters', families: ['counters'], label: 'the target\'s history + the other series' },
];

/** The bundle's series a family is made from (the embedding is computed from the syscalls table). */
export function sourceFamily(f: InputFamily): SeriesFamily {
  return f === 'syscall-embedding' ? 'syscalls' : f;
}

/** Whether an input set is usable with the bundle's families: which families it lacks. */
export function missingFamilies(setId: string, present: ReadonlySet<SeriesFamily>): InputFamily[] {
  const c = INPUT_SET_CHOICES.find((x) => x.id === setId);
  return c ? c.families.filter((f) => !present.has(sourceFamily(f))) : [];
}

export interface EmbeddingForm {
  dim: number;
  window: number;
  negatives: number;
  epochs: number;
}

export interface NeuralForm {
  epochs: number;
  width: number;
  batchSize: number;
}

export interface LabSettings {
  target: string;
  /** Ids from INPUT_SET_CHOICES. */
  inputSets: string[];
  /** As typed ("1, 2, 4, 8"). */
  horizons: string;
  histories: string;
  models: ModelChoice[];
  lstm: NeuralForm;
  tcn: NeuralForm;
  trees: number;
  maxSyscallSeries: number;
  /** Skip-gram settings of the syscall-embedding inputs. */
  embedding: EmbeddingForm;
  seed: number;
  /**
   * What a loaded spec holds that the form does not show (fractions, coverage, the prediction cell, more neural and
   * forest settings; input sets that are not among the choices), kept so that the spec round-trips unchanged.
   */
  extra?: Partial<ForecastSpec>;
}

export const DEFAULT_TARGET = 'group:cpu';

/**
 * Sized for a 2-core machine without a GPU: about 2 minutes in Chromium on a 480-interval recording (measured:
 * 129 s on forecast/phases.tlab, of which TCN 62 s, LSTM 47 s, forest 11 s), seconds on the 60-interval demos.
 * Batches of 64 halve the steps per epoch of the core's 32.
 */
export function browserDefaults(seed = 1, target = DEFAULT_TARGET): LabSettings {
  return {
    target,
    inputSets: ['usage', 'usage+syscall-embedding'],
    horizons: '1, 2, 4, 8',
    histories: '2, 4, 8',
    models: MODEL_CHOICES.map((m) => m.id),
    lstm: { epochs: 12, width: 16, batchSize: 64 },
    tcn: { epochs: 12, width: 16, batchSize: 64 },
    trees: 20,
    maxSyscallSeries: 12,
    embedding: { dim: 8, window: 5, negatives: 5, epochs: 5 },
    seed,
  };
}

/**
 * The core's own model sizes (60 epochs, 32 wide, batches of 32, 60 trees), all three syscall ablation sets, and
 * the suggested grid when the datasets folder has one: the numbers to quote, slow in a browser (tens of minutes).
 */
export function fullPreset(current: LabSettings, grid?: { horizons?: readonly number[]; histories?: readonly number[] }): LabSettings {
  return {
    ...current,
    inputSets: ['usage', 'usage+syscall-embedding', 'usage+syscall-counts'],
    horizons: (grid?.horizons ?? [1, 2, 4, 8]).join(', '),
    histories: (grid?.histories ?? [2, 4, 8, 16]).join(', '),
    models: MODEL_CHOICES.map((m) => m.id),
    lstm: { epochs: 60, width: 32, batchSize: 32 },
    tcn: { epochs: 60, width: 32, batchSize: 32 },
    trees: 60,
  };
}

/** "1, 2 4" → [1, 2, 4]; anything that is not a whole number becomes NaN for the spec to name. */
export function parseList(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : Number.NaN));
}

/** The spec the worker runs and `tlab run` replays (bundle path relative to the datasets folder). */
export function buildSpec(s: LabSettings, bundlePath: string): ForecastSpecInput {
  const { inputSets: extraSets, neural, forest, embedding, models: extraModels, ...extra } = s.extra ?? {};
  const models = FORECAST_MODELS.filter((m) => (s.models as readonly string[]).includes(m) || (extraModels ?? []).includes(m));
  const sets = extraSets ?? INPUT_SET_CHOICES.filter((c) => s.inputSets.includes(c.id)).map((c) => ({ name: c.id, families: c.families }));
  return {
    ...extra,
    lab: 'forecast',
    seed: s.seed,
    bundle: { path: bundlePath },
    target: s.target,
    inputSets: sets,
    maxSyscallSeries: s.maxSyscallSeries,
    ...(sets.some((c) => c.families.includes('syscall-embedding')) ? { embedding: { ...embedding, ...s.embedding } } : {}),
    horizons: parseList(s.horizons),
    histories: parseList(s.histories),
    models,
    neural: { lstm: { ...neural?.lstm, ...s.lstm }, tcn: { ...neural?.tcn, ...s.tcn } },
    forest: { ...forest, trees: s.trees },
  };
}

/**
 * A spec (validated, defaults filled in) as the form's settings and its bundle's path (as in the datasets folder: a
 * leading public/datasets/ is dropped); what the form does not show goes to `extra` (models outside the form's
 * choices, the core's `mean`, too).
 */
export function settingsFromSpec(spec: ForecastSpec): { settings: LabSettings; bundlePath: string } {
  const { lab: _lab, bundle, seed, target, inputSets, maxSyscallSeries, embedding, horizons, histories, models, neural, forest, ...rest } = spec;
  const asChoices = inputSets.map((set) => INPUT_SET_CHOICES.find((c) => c.id === set.name && c.families.join() === set.families.join()));
  const known = asChoices.every((c) => c !== undefined);
  const base = browserDefaults(seed, target);
  // What the core trains with where the spec is silent (not the form's lighter browser defaults).
  const neuralForm = (n: typeof neural.lstm, d: NeuralForm): NeuralForm => ({ epochs: n?.epochs ?? d.epochs, width: n?.width ?? d.width, batchSize: n?.batchSize ?? d.batchSize });
  return {
    settings: {
      ...base,
      inputSets: known ? asChoices.map((c) => c!.id) : [],
      horizons: horizons.join(', '),
      histories: histories.join(', '),
      models: MODEL_CHOICES.filter((m) => (models as readonly string[]).includes(m.id)).map((m) => m.id),
      lstm: neuralForm(neural.lstm, NEURAL_DEFAULTS.lstm),
      tcn: neuralForm(neural.tcn, NEURAL_DEFAULTS.tcn),
      trees: forest.trees ?? base.trees,
      maxSyscallSeries,
      embedding: { dim: embedding.dim, window: embedding.window, negatives: embedding.negatives, epochs: embedding.epochs },
      extra: { ...rest, ...(known ? {} : { inputSets }), neural, forest, embedding, models: models.filter((m) => !MODEL_CHOICES.some((c) => c.id === m)) },
    },
    bundlePath: datasetRelative(bundle.path),
  };
}

function duplicate(values: readonly number[]): number | null {
  const seen = new Set<number>();
  for (const v of values) {
    if (seen.has(v)) return v;
    seen.add(v);
  }
  return null;
}

/**
 * What is wrong with the spec, in words, or null: the core's validation first, then what only the form knows
 * (the bundle's series, repeated grid values, an empty list).
 */
export function specProblem(spec: ForecastSpecInput, series: readonly SeriesInfo[] | null): string | null {
  const horizons = (spec.horizons ?? []) as number[];
  const histories = (spec.histories ?? []) as number[];
  if (horizons.length === 0) return 'Give at least one horizon (intervals ahead), e.g. "1, 2, 4".';
  if (histories.length === 0) return 'Give at least one history length (intervals of input), e.g. "2, 4, 8".';
  if ((spec.inputSets ?? []).length === 0) return 'Choose at least one input set.';
  if ((spec.models ?? []).length === 0) return 'Choose at least one model.';
  try {
    parseForecastSpec(spec);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const h = duplicate(horizons);
  if (h !== null) return `Horizon ${h} is listed twice.`;
  const k = duplicate(histories);
  if (k !== null) return `History ${k} is listed twice.`;
  if (series && !series.some((s) => s.id === spec.target)) return `This bundle has no series "${spec.target}" to forecast.`;
  return null;
}

/** Families the bundle has at least one usable series of (the input-set checkboxes of the others are off). */
export function familiesOf(series: readonly SeriesInfo[] | null, minCoverage = 0.5): Set<SeriesFamily> {
  return new Set((series ?? []).filter((s) => s.coverage >= minCoverage).map((s) => s.family));
}

/** Rows name the neural models "LSTM" and "TCN"; the spec names them in lower case. */
export function modelLabel(model: string): string {
  return MODEL_CHOICES.find((m) => m.id === model)?.label ?? model;
}
