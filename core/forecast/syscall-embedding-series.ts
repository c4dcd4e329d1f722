import type { Bundle } from '../bundle/index.ts';
import { pca2 } from '../embeddings/projection.ts';
import type { SkipGramSettings } from '../embeddings/skipgram-settings.ts';
import { trainSkipGramTyped } from '../embeddings/skipgram-typed.ts';
import { syscallCorpus, syscallSequences } from '../embeddings/syscall-corpus.ts';
import { syscallKind } from '../embeddings/syscall-kinds.ts';
import type { SeriesFrame, SeriesInfo } from './series.ts';

/** What the lab shows of the embedding the forecasters were fed. */
export interface SyscallEmbeddingSummary {
  readonly tokens: readonly string[];
  readonly counts: readonly number[];
  readonly kinds: readonly string[];
  readonly dim: number;
  /** Row-major [tokens, dim]. */
  readonly vectors: Float32Array;
  /** Row-major [tokens, 2]: PCA of the vectors. */
  readonly pca: Float64Array;
  readonly explained: readonly [number, number];
  readonly pairs: number;
  readonly pairsPerSecond: number;
  /** Calls before this time (the training span) were the corpus. */
  readonly trainedUntilNs: number;
}

export const EMBEDDING_SERIES_PREFIX = 'syscall-emb:';

/**
 * Skip-gram vectors of the syscalls made in the training span only (so no test-span call shapes the features),
 * then every interval's calls averaged into one `dim`-wide vector (the seed paper's interval "sentence" vector),
 * added to the frame as series `syscall-emb:0..dim-1`. Calls whose name never occurred in the training span count
 * as the rare token when there is one, else are left out of the mean.
 */
export async function addSyscallEmbeddingSeries(
  frame: SeriesFrame,
  bundle: Bundle,
  trainEnd: number,
  settings: Partial<SkipGramSettings>,
  signal?: AbortSignal,
): Promise<{ frame: SeriesFrame; ids: string[]; summary: SyscallEmbeddingSummary }> {
  const trainedUntilNs = frame.tNs[Math.max(0, trainEnd - 1)]!;
  const corpus = syscallCorpus(bundle, { toNs: trainedUntilNs, minCount: settings.minCount ?? 1 });
  if (corpus.vocab.tokens.length === 0) throw new Error('no system calls in the training span: the syscall embedding needs strace data there');
  const trained = await trainSkipGramTyped(corpus, settings, signal ? { signal } : {});
  const { embedding } = trained;
  const dim = embedding.dim;
  const vocab = corpus.vocab;

  // Every call of the whole recording onto the grid: interval i covers (tNs[i] − intervalNs[i], tNs[i]].
  const n = frame.tNs.length;
  const sums = new Float64Array(n * dim);
  const calls = new Float64Array(n);
  const all = syscallSequences(bundle);
  const idOfName = all.names.map((name) => vocab.index.get(name) ?? vocab.rareId);
  const startNs = frame.tNs[0]! - frame.intervalNs[0]!;
  for (const th of all.threads) {
    for (let j = 0; j < th.tsNs.length; j++) {
      const id = idOfName[th.nameIds[j]!]!;
      const t = th.tsNs[j]!;
      if (id < 0 || t <= startNs || t > frame.tNs[n - 1]!) continue;
      const i = firstAtOrAfter(frame.tNs, t);
      calls[i]!++;
      for (let k = 0; k < dim; k++) sums[i * dim + k]! += embedding.data[id * dim + k]!;
    }
  }
  const columns = new Map(frame.columns);
  const infos: SeriesInfo[] = [...frame.infos];
  const ids: string[] = [];
  for (let k = 0; k < dim; k++) {
    const id = `${EMBEDDING_SERIES_PREFIX}${k}`;
    // An interval without calls gets zeros (no call is itself the reading).
    columns.set(id, Float32Array.from({ length: n }, (_, i) => (calls[i]! > 0 ? sums[i * dim + k]! / calls[i]! : 0)));
    infos.push({ id, name: `syscall embedding ${k}`, unit: '', family: 'syscall-embedding', coverage: 1 });
    ids.push(id);
  }
  const projection = pca2(embedding);
  return {
    frame: { ...frame, columns, infos },
    ids,
    summary: {
      tokens: vocab.tokens,
      counts: Array.from(vocab.counts),
      kinds: vocab.tokens.map((t) => syscallKind(t)),
      dim,
      vectors: Float32Array.from(embedding.data),
      pca: projection.points,
      explained: projection.explained,
      pairs: trained.pairs,
      pairsPerSecond: trained.pairsPerSecond,
      trainedUntilNs,
    },
  };
}

/** Index of the first value ≥ t in an ascending array (its length when none). */
function firstAtOrAfter(a: Float64Array, t: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
