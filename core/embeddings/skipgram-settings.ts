/**
 * Settings shared by both skip-gram trainers (typed arrays and TensorFlow.js), with word2vec's defaults where it
 * has one, so the two are measured on the same model.
 */
export interface SkipGramSettings {
  /** Largest distance between center and context (word2vec -window). Each position draws a smaller one at random. */
  readonly window: number;
  /** Embedding size (word2vec -size). */
  readonly dim: number;
  /** Negative samples per positive pair (word2vec -negative). */
  readonly negatives: number;
  /** Subsampling threshold t (word2vec -sample); 0 turns subsampling off. */
  readonly subsample: number;
  readonly epochs: number;
  /** Starting learning rate (word2vec -alpha: 0.025 for skip-gram); decays linearly to 1e-4 of it. */
  readonly learningRate: number;
  readonly seed: number;
  /** Names seen fewer times become '<rare>' (word2vec -min-count); used when the corpus is built. */
  readonly minCount: number;
}

export const DEFAULT_SKIPGRAM_SETTINGS: SkipGramSettings = {
  window: 5,
  dim: 32,
  negatives: 5,
  subsample: 1e-3,
  epochs: 5,
  learningRate: 0.025,
  seed: 1,
  minCount: 1,
};

/** Defaults filled in and every value checked, so a bad field fails before training with its name. */
export function resolveSkipGramSettings(partial: Partial<SkipGramSettings> = {}): SkipGramSettings {
  const s = { ...DEFAULT_SKIPGRAM_SETTINGS, ...partial };
  const positiveInt = (k: keyof SkipGramSettings, min: number) => {
    if (!Number.isInteger(s[k]) || s[k] < min) throw new Error(`skip-gram setting ${k} must be an integer ≥ ${min} (got ${s[k]})`);
  };
  positiveInt('window', 1);
  positiveInt('dim', 1);
  positiveInt('negatives', 0);
  positiveInt('epochs', 1);
  positiveInt('minCount', 1);
  if (!Number.isInteger(s.seed)) throw new Error(`skip-gram setting seed must be an integer (got ${s.seed})`);
  if (!(s.subsample >= 0)) throw new Error(`skip-gram setting subsample must be ≥ 0 (got ${s.subsample})`);
  if (!(s.learningRate > 0)) throw new Error(`skip-gram setting learningRate must be > 0 (got ${s.learningRate})`);
  return s;
}

/** The corpus a trainer needs: token id sentences and each token's count (a SyscallCorpus fits). */
export interface SkipGramCorpus {
  readonly tokenIds: readonly Int32Array[];
  readonly vocab: { readonly counts: ArrayLike<number> };
}

/** What a trainer reports while it runs. */
export interface SkipGramProgress {
  /** 0..1 over all epochs, by raw tokens consumed (as word2vec measures it). */
  readonly fraction: number;
  readonly epoch: number;
  readonly pairs: number;
  /** Pairs trained per second of training so far (yields excluded). */
  readonly pairsPerSecond: number;
  readonly learningRate: number;
  /** Mean loss -log σ(u·v) - Σ log σ(-u·n) over recent pairs (the typed trainer samples 1 pair in 64). */
  readonly loss: number;
  /** Set on the report made when an epoch ends. */
  readonly epochDone?: boolean;
}

export interface TrainControl {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: SkipGramProgress) => void;
}

/** Row-major embedding vectors: row i is token i. */
export interface EmbeddingMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly dim: number;
}

export interface SkipGramResult {
  /** The input (center) vectors: the embedding, as word2vec saves syn0. */
  readonly embedding: EmbeddingMatrix;
  /** The output (context) vectors, syn1neg; kept for tests and for continuing training. */
  readonly output: EmbeddingMatrix;
  readonly pairs: number;
  readonly seconds: number;
  readonly pairsPerSecond: number;
  /** Mean loss per epoch. */
  readonly epochLoss: number[];
}

export class SkipGramCancelledError extends Error {
  constructor() {
    super('skip-gram training was cancelled');
    this.name = 'SkipGramCancelledError';
  }
}

/** A macrotask every ~50 ms lets a worker receive "cancel" and post progress during a long epoch. */
export const YIELD_EVERY_MS = 50;
export const yieldToEvents = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
