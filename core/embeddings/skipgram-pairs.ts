import type { Rng } from '../ml/rng.ts';

/**
 * The data side of word2vec's skip-gram, shared by both trainers so they learn the same model from the same
 * draws: subsampling of frequent tokens, (center, context) pairs with a randomly shrunk window, and the
 * unigram^0.75 table that negatives are drawn from. Every random choice comes from the caller's Rng.
 */

/**
 * Probability of keeping each token under word2vec's subsampling: with f = count / total and threshold t,
 * keep = (sqrt(f / t) + 1) * t / f, capped at 1 (word2vec.c, TrainModelThread). A syscall trace is dominated by
 * a few calls (read and write can be 90% of it); dropping most of them lets rarer calls find their neighbours
 * and shortens an epoch. t = 0 keeps everything.
 */
export function keepProbabilities(counts: ArrayLike<number>, threshold: number): Float64Array {
  const keep = new Float64Array(counts.length).fill(1);
  if (!(threshold > 0)) return keep;
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const st = threshold * total;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0) keep[i] = Math.min(1, (Math.sqrt(c / st) + 1) * (st / c));
  }
  return keep;
}

/** The tokens of `seq` that survive subsampling, written to the start of `out`; returns how many. */
export function subsampleInto(seq: Int32Array, keep: Float64Array, rng: Rng, out: Int32Array): number {
  let n = 0;
  for (let i = 0; i < seq.length; i++) {
    const t = seq[i]!;
    const p = keep[t]!;
    // A draw only where it can matter: the same seed gives the same sentence whether or not t is rare.
    if (p >= 1 || rng.next() < p) out[n++] = t;
  }
  return n;
}

/**
 * Table length for a vocabulary: ~200 entries per token on average (a power of two from 2^12 to 2^20).
 * word2vec uses 1e8 entries for vocabularies of millions; for a few hundred syscalls a table that stays in the
 * CPU's L2 cache matters more: each negative is a random read of it, and a 4 MB table made training ~30% slower.
 */
export function negativeTableSize(vocabSize: number): number {
  let size = 1 << 12;
  while (size < vocabSize * 200 && size < 1 << 20) size <<= 1;
  return size;
}

export const NEGATIVE_TABLE_SIZE = 1 << 20;

/**
 * word2vec's unigram table: token i fills a share count_i^power / Σ count^power of the entries, so a uniform
 * index draws negatives by the smoothed unigram distribution in O(1). power 0.75 (the paper's choice) gives
 * rare tokens more negatives than their frequency, frequent ones fewer. Each entry goes to the token whose
 * cumulative share covers the entry's midpoint, so shares are exact to within one entry.
 */
export function negativeTable(counts: ArrayLike<number>, size = NEGATIVE_TABLE_SIZE, power = 0.75): Int32Array {
  const table = new Int32Array(size);
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]! > 0 ? Math.pow(counts[i]!, power) : 0;
  if (!(total > 0)) throw new Error('negative table: every count is zero');
  let i = 0;
  let cum = (counts[0]! > 0 ? Math.pow(counts[0]!, power) : 0) / total;
  for (let a = 0; a < size; a++) {
    while ((a + 0.5) / size > cum && i < counts.length - 1) {
      i++;
      cum += (counts[i]! > 0 ? Math.pow(counts[i]!, power) : 0) / total;
    }
    table[a] = i;
  }
  return table;
}

/**
 * (center, context) pairs of one epoch, produced on demand into caller-owned buffers so an epoch never sits in
 * memory and both trainers can take exactly the batch size they want. As word2vec does, every position draws
 * b in [0, window) and uses window - b on each side: nearer neighbours are seen more often (weights w, w-1, …).
 */
export class PairStream {
  /** Tokens of the corpus before subsampling: what an epoch's progress is measured in (as word2vec does). */
  readonly totalTokens: number;
  private sentence = -1;
  private buf: Int32Array;
  private len = 0;
  private pos = 0;
  private ctx = 0;
  private hi = -1;
  private doneTokens = 0;

  constructor(
    private readonly sentences: readonly Int32Array[],
    private readonly keep: Float64Array | null,
    private readonly window: number,
    private readonly rng: Rng,
  ) {
    if (!(window >= 1)) throw new Error(`skip-gram window must be at least 1 (got ${window})`);
    let longest = 0;
    let total = 0;
    for (const s of sentences) {
      longest = Math.max(longest, s.length);
      total += s.length;
    }
    this.totalTokens = total;
    this.buf = new Int32Array(longest);
  }

  /** Raw tokens consumed so far this epoch (fractional inside a sentence). */
  get tokensDone(): number {
    if (this.sentence < 0 || this.sentence >= this.sentences.length) return this.doneTokens;
    const raw = this.sentences[this.sentence]!.length;
    return this.doneTokens + (this.len > 0 ? (this.pos / this.len) * raw : 0);
  }

  /** Start the next epoch from the first sentence. */
  restart(): void {
    this.sentence = -1;
    this.len = this.pos = 0;
    this.hi = -1;
    this.doneTokens = 0;
  }

  /** Fills up to centers.length pairs; returns how many (0 once the epoch is over). */
  fill(centers: Int32Array, contexts: Int32Array): number {
    const cap = Math.min(centers.length, contexts.length);
    const buf = this.buf;
    let n = 0;
    while (n < cap) {
      if (this.pos >= this.len) {
        if (!this.nextSentence()) break;
        continue;
      }
      if (this.hi < 0) {
        // A new center position: draw its reduced window.
        const w = this.window - this.rng.int(this.window);
        this.ctx = Math.max(0, this.pos - w);
        this.hi = Math.min(this.len - 1, this.pos + w);
      }
      const center = buf[this.pos]!;
      while (this.ctx <= this.hi && n < cap) {
        if (this.ctx !== this.pos) {
          centers[n] = center;
          contexts[n] = buf[this.ctx]!;
          n++;
        }
        this.ctx++;
      }
      if (this.ctx > this.hi) {
        this.pos++;
        this.hi = -1;
      }
    }
    return n;
  }

  private nextSentence(): boolean {
    if (this.sentence >= 0 && this.sentence < this.sentences.length) this.doneTokens += this.sentences[this.sentence]!.length;
    this.sentence++;
    if (this.sentence >= this.sentences.length) return false;
    const s = this.sentences[this.sentence]!;
    if (this.keep) this.len = subsampleInto(s, this.keep, this.rng, this.buf);
    else {
      this.buf.set(s);
      this.len = s.length;
    }
    this.pos = 0;
    this.hi = -1;
    return true;
  }
}

/** Every pair of one epoch at once (tests and small corpora; trainers use PairStream). */
export function epochPairs(
  sentences: readonly Int32Array[],
  keep: Float64Array | null,
  window: number,
  rng: Rng,
): { centers: Int32Array; contexts: Int32Array } {
  const stream = new PairStream(sentences, keep, window, rng);
  const chunks: [Int32Array, Int32Array][] = [];
  let total = 0;
  for (;;) {
    const c = new Int32Array(65536);
    const x = new Int32Array(65536);
    const n = stream.fill(c, x);
    if (n === 0) break;
    chunks.push([c.subarray(0, n), x.subarray(0, n)]);
    total += n;
  }
  const centers = new Int32Array(total);
  const contexts = new Int32Array(total);
  let at = 0;
  for (const [c, x] of chunks) {
    centers.set(c, at);
    contexts.set(x, at);
    at += c.length;
  }
  return { centers, contexts };
}
