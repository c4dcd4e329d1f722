import { Rng } from '../ml/rng.ts';
import { cosineSimilarity } from './projection.ts';
import type { EmbeddingMatrix } from './skipgram-settings.ts';
import { corpusFromSentences, type SyscallCorpus } from './syscall-corpus.ts';

/**
 * Corpora with a known answer (tests) or a fixed shape (the bench), so trainers can be checked and timed
 * without a recording.
 */

/**
 * Sentences that each use one group of interchangeable words (a0..a{n-1} or b0..b{n-1}), picked at random:
 * words of a group share every context, words of different groups never meet, so a working skip-gram puts
 * a-words nearer each other than any a-word to any b-word.
 */
export function twoGroupCorpus(seed: number, sentences = 200, length = 20, groupSize = 5): SyscallCorpus {
  const rng = new Rng(seed);
  const groups = ['a', 'b'].map((g) => Array.from({ length: groupSize }, (_, i) => `${g}${i}`));
  return corpusFromSentences(
    Array.from({ length: sentences }, (_, s) => Array.from({ length }, () => groups[s % 2]![rng.int(groupSize)]!)),
  );
}

/**
 * `tokens` draws from a Zipf(1) distribution over `vocab` ids (a frequent few, a long tail, like a syscall
 * trace), cut into sentences of `sentenceLength`. Counts are the exact counts of the draws.
 */
export function zipfCorpus(vocab: number, tokens: number, seed: number, sentenceLength = 10_000): { tokenIds: Int32Array[]; vocab: { counts: Float64Array } } {
  const rng = new Rng(seed);
  const cum = new Float64Array(vocab);
  let acc = 0;
  for (let i = 0; i < vocab; i++) cum[i] = acc += 1 / (i + 1);
  const counts = new Float64Array(vocab);
  const tokenIds: Int32Array[] = [];
  for (let left = tokens; left > 0; left -= sentenceLength) {
    const s = new Int32Array(Math.min(left, sentenceLength));
    for (let i = 0; i < s.length; i++) {
      const u = rng.next() * acc;
      let lo = 0;
      let hi = vocab - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cum[mid]! < u) lo = mid + 1;
        else hi = mid;
      }
      s[i] = lo;
      counts[lo]!++;
    }
    tokenIds.push(s);
  }
  return { tokenIds, vocab: { counts } };
}

/** For a twoGroupCorpus: mean cosine within groups and across them, the worst within and the best across. */
export function groupSimilarity(corpus: SyscallCorpus, m: EmbeddingMatrix): { within: number; cross: number; worstWithin: number; bestCross: number } {
  const group = (i: number) => corpus.vocab.tokens[i]![0];
  let within = 0;
  let nw = 0;
  let cross = 0;
  let nc = 0;
  let worstWithin = 1;
  let bestCross = -1;
  for (let i = 0; i < m.rows; i++) {
    for (let j = i + 1; j < m.rows; j++) {
      const s = cosineSimilarity(m, i, j);
      if (group(i) === group(j)) {
        within += s;
        nw++;
        worstWithin = Math.min(worstWithin, s);
      } else {
        cross += s;
        nc++;
        bestCross = Math.max(bestCross, s);
      }
    }
  }
  return { within: within / nw, cross: cross / nc, worstWithin, bestCross };
}
