import type { GroupedScores, ScoreSet, TraceRole } from './types.ts';

/** Counts hits position by position; accuracies over no positions are NaN (nothing was measured), never 0. */
export class ScoreAccumulator {
  private n = 0;
  private top1 = 0;
  private topk = 0;
  private nExclIdle = 0;
  private top1ExclIdle = 0;
  private topkExclIdle = 0;
  private unknown = 0;
  private top1Known = 0;
  private topkKnown = 0;

  add(predictedTopK: ArrayLike<number>, truth: number, truthIdle: boolean, truthUnknown: boolean): void {
    const hit1 = predictedTopK.length > 0 && predictedTopK[0] === truth;
    let hitk = false;
    for (let i = 0; i < predictedTopK.length && !hitk; i++) hitk = predictedTopK[i] === truth;
    this.n++;
    if (hit1) this.top1++;
    if (hitk) this.topk++;
    if (truthUnknown) this.unknown++;
    else {
      if (hit1) this.top1Known++;
      if (hitk) this.topkKnown++;
    }
    if (!truthIdle) {
      this.nExclIdle++;
      if (hit1) this.top1ExclIdle++;
      if (hitk) this.topkExclIdle++;
    }
  }

  result(): ScoreSet {
    const share = (x: number, of: number) => (of > 0 ? x / of : Number.NaN);
    return {
      n: this.n,
      top1: share(this.top1, this.n),
      topk: share(this.topk, this.n),
      nExclIdle: this.nExclIdle,
      top1ExclIdle: share(this.top1ExclIdle, this.nExclIdle),
      topkExclIdle: share(this.topkExclIdle, this.nExclIdle),
      unknownShare: share(this.unknown, this.n),
      nKnown: this.n - this.unknown,
      top1Known: share(this.top1Known, this.n - this.unknown),
      topkKnown: share(this.topkKnown, this.n - this.unknown),
    };
  }
}

/** One accumulator for everything, one per workload and one per role (test-seen vs test-unseen). */
export class GroupedAccumulator {
  private readonly overall = new ScoreAccumulator();
  private readonly byWorkload = new Map<string, ScoreAccumulator>();
  private readonly byRole = new Map<TraceRole, ScoreAccumulator>();

  add(
    group: { readonly workload: string; readonly role: TraceRole },
    predictedTopK: ArrayLike<number>,
    truth: number,
    truthIdle: boolean,
    truthUnknown: boolean,
  ): void {
    const w = getOrCreate(this.byWorkload, group.workload);
    const r = getOrCreate(this.byRole, group.role);
    for (const acc of [this.overall, w, r]) acc.add(predictedTopK, truth, truthIdle, truthUnknown);
  }

  result(): GroupedScores {
    const byWorkload: Record<string, ScoreSet> = {};
    for (const name of [...this.byWorkload.keys()].sort()) byWorkload[name] = this.byWorkload.get(name)!.result();
    const byRole: Partial<Record<TraceRole, ScoreSet>> = {};
    for (const [role, acc] of this.byRole) byRole[role] = acc.result();
    return { overall: this.overall.result(), byWorkload, byRole };
  }
}

export interface Confusion {
  /** The topN most common true classes (ties by id), then -1 for "rest" (every other class). */
  readonly classes: readonly number[];
  /** counts[true row][predicted column], rows and columns in `classes` order. */
  readonly counts: readonly (readonly number[])[];
}

export function confusion(truths: ArrayLike<number>, preds: ArrayLike<number>, topN: number): Confusion {
  if (truths.length !== preds.length) throw new Error(`confusion: ${truths.length} truths but ${preds.length} predictions`);
  const freq = new Map<number, number>();
  for (let i = 0; i < truths.length; i++) freq.set(truths[i]!, (freq.get(truths[i]!) ?? 0) + 1);
  const top = [...freq.keys()].sort((a, b) => freq.get(b)! - freq.get(a)! || a - b).slice(0, Math.max(0, topN));
  const index = new Map(top.map((c, i) => [c, i]));
  const rest = top.length;
  const counts = Array.from({ length: rest + 1 }, () => new Array<number>(rest + 1).fill(0));
  for (let i = 0; i < truths.length; i++) {
    counts[index.get(truths[i]!) ?? rest]![index.get(preds[i]!) ?? rest]!++;
  }
  return { classes: [...top, -1], counts };
}

function getOrCreate<K>(map: Map<K, ScoreAccumulator>, key: K): ScoreAccumulator {
  let acc = map.get(key);
  if (!acc) map.set(key, (acc = new ScoreAccumulator()));
  return acc;
}
