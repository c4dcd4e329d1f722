/**
 * Shared shapes of the forecast lab. The classical models (baselines, ridge, random forest) and the neural ones
 * (LSTM, TCN, added by the runner) all consume the same `Examples` and report through the same `ForecastRow`, so
 * every row of the error map comes from the same splits, inputs and normalisation.
 */

/** One cell of the error map: a model at a horizon and history length, scored on the test split. */
export interface ForecastRow {
  readonly model: string;
  /** Intervals ahead: the target is the value at t + horizon where t is the last input interval. */
  readonly horizon: number;
  /** Intervals of history in each input window (k). */
  readonly history: number;
  /** Which inputs were used, as a label (e.g. "usage", "usage+syscalls"). */
  readonly inputs: string;
  /** On the test split, in the target's own unit. */
  readonly rmse: number;
  readonly mae: number;
  /** RMSE on the validation split (what model selection and early stopping may look at). */
  readonly valRmse: number;
  /** Test examples scored. */
  readonly n: number;
  /** 1 − RMSE / RMSE of persistence at the same horizon and history; filled where persistence ran. */
  readonly skill?: number;
  /** Neural models: loss per epoch (normalised target, so train and validation compare) and the epoch kept. */
  readonly training?: { readonly history: readonly { readonly epoch: number; readonly trainLoss: number; readonly valLoss: number }[]; readonly bestEpoch: number };
}

/**
 * z-score per input feature (one mean and std per series, shared by all its lags), fitted on the training range
 * only. A feature that is constant on the training range gets std 1 so it maps to 0 instead of ±Infinity.
 */
export interface Normaliser {
  readonly featureIds: readonly string[];
  readonly mean: Float32Array;
  readonly std: Float32Array;
  /** The target's mean and std on the training range, for models that learn a normalised target. */
  readonly targetMean: number;
  readonly targetStd: number;
}

/** How an example's input row is laid out; the same for every split of one window set. */
export interface WindowLayout {
  /** Intervals of history (k). */
  readonly history: number;
  readonly horizon: number;
  /** Input series ids; `features` = their count. */
  readonly featureIds: readonly string[];
  readonly features: number;
  readonly targetId: string;
  readonly norm: Normaliser;
}

/**
 * Supervised examples of one split. `x` is row-major [n × history × features], oldest interval first, z-scored
 * with the training-range normaliser; `y` is the raw target (in the target's unit) at t + horizon; `lastTargets`
 * is the raw target over the same input window [n × history] (what persistence and moving average read, even
 * when the target itself is not among the chosen inputs).
 */
export interface Examples {
  readonly layout: WindowLayout;
  readonly n: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly lastTargets: Float32Array;
  /** Frame row of each example's target (t + horizon), for plotting actual versus predicted. */
  readonly targetIndex: Int32Array;
}

/**
 * A model of the lab. `fit` may be async (tfjs models); `val` is for early stopping or selection, never for the
 * weights. `predict` returns one value per example, in the target's unit.
 */
export interface Forecaster {
  readonly name: string;
  fit(train: Examples, val?: Examples): void | Promise<void>;
  predict(set: Examples): Float32Array | Promise<Float32Array>;
}
