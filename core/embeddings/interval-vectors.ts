import type { EmbeddingMatrix } from './skipgram-settings.ts';
import type { SyscallCorpus } from './syscall-corpus.ts';

/**
 * One fixed-size vector per time interval from the variable number of calls made in it (the seed paper's
 * "interpret an interval's calls as a sentence"), for the forecasters' inputs:
 * - mean: the mean embedding of the interval's calls (dim wide) — what the paper does;
 * - counts: calls of each token (vocab wide) — keeps the volume, which a mean throws away;
 * - tfidf: each token's share of the interval's calls × its IDF — the mix, with calls made in every interval
 *   weighted down. IDF is fitted on a given interval range only, so a chronological train/test split leaks
 *   nothing from the test span into the features.
 * An interval without calls gets zeros in every mode.
 */

/** Calls per token per interval, row-major [intervals, vocabSize]. */
export interface CountMatrix {
  readonly data: Float64Array;
  readonly intervals: number;
  readonly vocabSize: number;
}

/** Row-major [intervals, width]. */
export interface IntervalVectors {
  readonly data: Float32Array;
  readonly intervals: number;
  readonly width: number;
}

/**
 * The corpus's token ids grouped by interval i = floor((ts - startNs) / intervalNs), for i in [0, count); calls
 * outside are left out. Within an interval, threads follow one another (order does not matter to the vectors).
 */
export function bucketTokensByInterval(corpus: SyscallCorpus, startNs: number, intervalNs: number, count: number): Int32Array[] {
  if (!(intervalNs > 0)) throw new Error(`interval length must be > 0 ns (got ${intervalNs})`);
  const sizes = new Int32Array(count);
  const slot = (t: number) => Math.floor((t - startNs) / intervalNs);
  corpus.sequences.threads.forEach((th) => {
    for (let i = 0; i < th.tsNs.length; i++) {
      const b = slot(th.tsNs[i]!);
      if (b >= 0 && b < count) sizes[b]!++;
    }
  });
  const out = Array.from(sizes, (n) => new Int32Array(n));
  const fill = new Int32Array(count);
  corpus.sequences.threads.forEach((th, k) => {
    const ids = corpus.tokenIds[k]!;
    for (let i = 0; i < th.tsNs.length; i++) {
      const b = slot(th.tsNs[i]!);
      if (b >= 0 && b < count) out[b]![fill[b]!++] = ids[i]!;
    }
  });
  return out;
}

/** Counts from per-interval token lists (ids must be in [0, vocabSize)). */
export function intervalCounts(lists: readonly ArrayLike<number>[], vocabSize: number): CountMatrix {
  const data = new Float64Array(lists.length * vocabSize);
  lists.forEach((list, r) => {
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      if (!(t >= 0 && t < vocabSize)) throw new Error(`interval ${r}: token id ${t} outside the vocabulary (size ${vocabSize})`);
      data[r * vocabSize + t]!++;
    }
  });
  return { data, intervals: lists.length, vocabSize };
}

/** Mean embedding of each interval's calls (count-weighted mean of the token vectors). */
export function meanEmbeddingVectors(counts: CountMatrix, embedding: EmbeddingMatrix): IntervalVectors {
  if (embedding.rows !== counts.vocabSize) {
    throw new Error(`mean embedding: ${embedding.rows} vectors for a vocabulary of ${counts.vocabSize}`);
  }
  const { dim } = embedding;
  const V = counts.vocabSize;
  const data = new Float32Array(counts.intervals * dim);
  const acc = new Float64Array(dim);
  for (let r = 0; r < counts.intervals; r++) {
    acc.fill(0);
    let total = 0;
    for (let t = 0; t < V; t++) {
      const c = counts.data[r * V + t]!;
      if (c === 0) continue;
      total += c;
      for (let k = 0; k < dim; k++) acc[k] = acc[k]! + c * embedding.data[t * dim + k]!;
    }
    if (total > 0) for (let k = 0; k < dim; k++) data[r * dim + k] = acc[k]! / total;
  }
  return { data, intervals: counts.intervals, width: dim };
}

/** The counts as vectors (float32 for the models). */
export function countVectors(counts: CountMatrix): IntervalVectors {
  return { data: Float32Array.from(counts.data), intervals: counts.intervals, width: counts.vocabSize };
}

/**
 * Smoothed IDF fitted on intervals [from, to) only: idf_t = ln((1 + n) / (1 + df_t)) + 1, with n the intervals
 * in the range and df_t those where token t occurs (scikit-learn's smooth_idf form: never zero or infinite, so a
 * token unseen in the fit range still gets a finite weight, the largest).
 */
export function fitIdf(counts: CountMatrix, fitRange: readonly [number, number]): Float64Array {
  const [from, to] = fitRange;
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from < to && to <= counts.intervals)) {
    throw new Error(`IDF fit range [${from}, ${to}) is not a non-empty range of the ${counts.intervals} intervals`);
  }
  const V = counts.vocabSize;
  const df = new Float64Array(V);
  for (let r = from; r < to; r++) for (let t = 0; t < V; t++) if (counts.data[r * V + t]! > 0) df[t]!++;
  const n = to - from;
  return df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
}

/** TF-IDF rows: (count_t / calls in the interval) × idf_t. */
export function tfidfVectors(counts: CountMatrix, idf: ArrayLike<number>): IntervalVectors {
  const V = counts.vocabSize;
  if (idf.length !== V) throw new Error(`TF-IDF: ${idf.length} IDF weights for a vocabulary of ${V}`);
  const data = new Float32Array(counts.intervals * V);
  for (let r = 0; r < counts.intervals; r++) {
    let total = 0;
    for (let t = 0; t < V; t++) total += counts.data[r * V + t]!;
    if (total === 0) continue;
    for (let t = 0; t < V; t++) data[r * V + t] = (counts.data[r * V + t]! / total) * idf[t]!;
  }
  return { data, intervals: counts.intervals, width: V };
}

export type IntervalVectorOptions =
  | { readonly mode: 'mean'; readonly embedding: EmbeddingMatrix }
  | { readonly mode: 'counts' }
  | { readonly mode: 'tfidf'; readonly fitRange: readonly [number, number] };

/** One vector per interval, in the chosen mode. */
export function intervalVectors(counts: CountMatrix, options: IntervalVectorOptions): IntervalVectors {
  switch (options.mode) {
    case 'mean':
      return meanEmbeddingVectors(counts, options.embedding);
    case 'counts':
      return countVectors(counts);
    case 'tfidf':
      return tfidfVectors(counts, fitIdf(counts, options.fitRange));
  }
}
