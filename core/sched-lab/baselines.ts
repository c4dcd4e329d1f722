import { assertTrainingOnly } from './training-only.ts';
import type { EncodedSequence } from './types.ts';

/** A trivial predictor shown beside every model: fitted on training sequences, then ranks classes at a position. */
export interface Baseline {
  readonly name: string;
  /** numClasses: the target's class count (see targetClassCount). */
  fit(train: readonly EncodedSequence[], numClasses: number): void;
  /** Top-k class ids for target[p], best first, no repeats; what the rule cannot say is filled in training frequency order. */
  rank(seq: EncodedSequence, p: number, k: number): Int32Array;
}

export const BASELINE_NAMES = ['most-frequent', 'repeat-last', 'ping-pong', 'ngram-1', 'ngram-2', 'ngram-3'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

export function createBaseline(name: BaselineName): Baseline {
  switch (name) {
    case 'most-frequent':
      return historyBaseline(name, 0);
    case 'repeat-last':
      return historyBaseline(name, 1);
    case 'ping-pong':
      return historyBaseline(name, 2);
    case 'ngram-1':
      return ngramBaseline(1);
    case 'ngram-2':
      return ngramBaseline(2);
    case 'ngram-3':
      return ngramBaseline(3);
  }
}

export function createBaselines(): Baseline[] {
  return BASELINE_NAMES.map(createBaseline);
}

/** Class ids by training target count, most frequent first, ties by id; classes never seen come last, by id. */
export function frequencyOrder(train: readonly EncodedSequence[], numClasses: number): Int32Array {
  const counts = new Float64Array(numClasses);
  for (const s of train) {
    for (let i = 0; i < s.length; i++) {
      const t = s.target[i]!;
      if (t >= 0 && t < numClasses) counts[t]!++;
    }
  }
  return Int32Array.from(byCountThenId(counts));
}

/** Predicts the target `lag` positions back (what happened `lag` switches ago), else training frequency. */
function historyBaseline(name: string, lag: number): Baseline {
  let frequency: Int32Array = new Int32Array(0);
  return {
    name,
    fit(train, numClasses) {
      assertTrainingOnly(train, `the ${name} baseline`);
      frequency = frequencyOrder(train, numClasses);
    },
    rank(seq, p, k) {
      const out = new TopK(k, frequency.length);
      if (lag > 0 && p - lag >= 0) out.push(seq.target[p - lag]!);
      return out.fill(frequency);
    },
  };
}

/**
 * Markov model of order n over the target sequence: classes ranked by how often they followed the last n targets
 * in training (ties by id), then by the last n-1, ..., then by frequency. Near a sequence's start the longest
 * available context is used.
 */
function ngramBaseline(n: number): Baseline {
  const name = `ngram-${n}`;
  let frequency: Int32Array = new Int32Array(0);
  let numClasses = 0;
  // ranked[m]: context of the last m targets → classes that followed it, best first.
  let ranked: Map<number, Int32Array>[] = [];
  const key = (seq: EncodedSequence, p: number, m: number) => {
    let h = 0;
    for (let j = p - m; j < p; j++) h = h * numClasses + seq.target[j]!;
    return h;
  };
  return {
    name,
    fit(train, classes) {
      assertTrainingOnly(train, `the ${name} baseline`);
      if (classes ** n > Number.MAX_SAFE_INTEGER) throw new Error(`${name}: ${classes} classes make too many contexts`);
      numClasses = classes;
      frequency = frequencyOrder(train, classes);
      const counts: Map<number, Float64Array>[] = [];
      for (let m = 1; m <= n; m++) counts[m] = new Map();
      for (const s of train) {
        for (let p = 1; p < s.length; p++) {
          const t = s.target[p]!;
          if (t < 0 || t >= classes) continue;
          for (let m = 1; m <= Math.min(n, p); m++) {
            const h = key(s, p, m);
            let c = counts[m]!.get(h);
            if (!c) counts[m]!.set(h, (c = new Float64Array(classes)));
            c[t]!++;
          }
        }
      }
      ranked = counts.map((byContext) => {
        const m = new Map<number, Int32Array>();
        for (const [h, c] of byContext) m.set(h, Int32Array.from(byCountThenId(c).filter((id) => c[id]! > 0)));
        return m;
      });
    },
    rank(seq, p, k) {
      const out = new TopK(k, frequency.length);
      for (let m = Math.min(n, p); m >= 1 && !out.full(); m--) {
        const next = ranked[m]?.get(key(seq, p, m));
        if (next) out.pushAll(next);
      }
      return out.fill(frequency);
    },
  };
}

function byCountThenId(counts: Float64Array): number[] {
  return Array.from(counts.keys()).sort((a, b) => counts[b]! - counts[a]! || a - b);
}

/** Collects up to k distinct class ids in order of arrival. */
class TopK {
  private readonly ids: number[] = [];
  private readonly k: number;
  private readonly numClasses: number;
  constructor(k: number, numClasses: number) {
    this.k = Math.max(0, Math.min(k, numClasses));
    this.numClasses = numClasses;
  }
  full(): boolean {
    return this.ids.length >= this.k;
  }
  push(id: number): void {
    if (!this.full() && id >= 0 && id < this.numClasses && !this.ids.includes(id)) this.ids.push(id);
  }
  pushAll(ids: Int32Array): void {
    for (let i = 0; i < ids.length && !this.full(); i++) this.push(ids[i]!);
  }
  fill(order: Int32Array): Int32Array {
    this.pushAll(order);
    return Int32Array.from(this.ids);
  }
}
