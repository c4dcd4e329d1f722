import type { SkipGramSettings } from '../../core/embeddings/skipgram-settings.ts';
import type { SyscallKind } from '../../core/embeddings/syscall-kinds.ts';
import type { ForecastProgress, ForecastResults } from '../../core/forecast/experiment.ts';
import type { SeriesInfo } from '../../core/forecast/series.ts';
import type { ForecastSpecInput } from '../../core/forecast/spec.ts';
import type { BackendName } from '../compute/types.ts';
import type { LabSource } from '../lab-bundles.ts';

/** The bundle of an experiment: a URL (the shipped datasets) or a file the user dropped or picked. */
export type ForecastSource = LabSource;

export type ForecastRunOutcome = { ok: true; results: ForecastResults } | { ok: false; cancelled: boolean; message: string };

/** What the bundle can forecast and from what: fills the target and input choices of the form. */
export interface SeriesListing {
  readonly series: SeriesInfo[];
  /** Intervals on the samples grid and their median length. */
  readonly intervals: number;
  readonly intervalS: number;
}
export type SeriesOutcome = ({ ok: true } & SeriesListing) | { ok: false; message: string };

/** Skip-gram settings the page may set; the rest take the core's defaults. */
export type EmbeddingSettings = Pick<SkipGramSettings, 'window' | 'dim' | 'negatives' | 'subsample' | 'epochs' | 'seed' | 'minCount'>;

export interface EmbeddingProgress {
  readonly fraction: number;
  readonly message: string;
}

/** A trained syscall embedding with what the page draws (PCA points); the page writes the Projector's files. */
export interface EmbeddingResults {
  readonly tokens: string[];
  readonly kinds: SyscallKind[];
  readonly counts: Float64Array;
  /** Row-major [tokens × dim]. */
  readonly vectors: Float32Array;
  readonly dim: number;
  /** Row-major [tokens × 2]: the vectors on the first two principal components. */
  readonly points: Float64Array;
  readonly explained: [number, number];
  readonly threads: number;
  readonly calls: number;
  readonly pairs: number;
  readonly seconds: number;
  readonly pairsPerSecond: number;
  readonly epochLoss: number[];
  readonly settings: EmbeddingSettings;
}
export type EmbeddingOutcome = { ok: true; results: EmbeddingResults } | { ok: false; cancelled: boolean; message: string };

/** A saved forecaster run over every full window of a bundle (the core's applySavedForecaster). */
export interface AppliedResults {
  /** Frame rows predicted, and their end times in seconds from the first interval's end. */
  readonly targetIndex: Int32Array;
  readonly tS: Float64Array;
  readonly predicted: Float32Array;
  readonly actual: Float32Array;
  readonly rmse: number;
  /** Intervals of the bundle's frame, and the bundle's name. */
  readonly intervals: number;
  readonly bundle: string;
  readonly targetName: string;
  readonly targetUnit: string;
}
export type AppliedOutcome = { ok: true; results: AppliedResults } | { ok: false; message: string };

export interface ForecastLabApi {
  /** Validates the spec, reads the bundle, runs the grid; never rejects: failures come back as messages. */
  run(spec: ForecastSpecInput, source: ForecastSource, backend: BackendName, onProgress: (p: ForecastProgress) => void): Promise<ForecastRunOutcome>;
  /** The series the bundle gives (the bundle stays read for the run that usually follows). */
  series(source: ForecastSource): Promise<SeriesOutcome>;
  /** Skip-gram with negative sampling on the bundle's per-thread syscall sequences (typed-array trainer). */
  embeddings(source: ForecastSource, settings: EmbeddingSettings, onProgress: (p: EmbeddingProgress) => void): Promise<EmbeddingOutcome>;
  /**
   * Validates a saved forecaster (JSON as parsed), reads the bundle, builds the frame of the model's series and
   * runs the model over every window on `backend` (default: plain CPU). Never rejects: failures are messages.
   */
  applySaved(saved: unknown, source: ForecastSource, backend?: BackendName): Promise<AppliedOutcome>;
  /** Stops the running experiment or embedding. */
  cancel(): void;
}
