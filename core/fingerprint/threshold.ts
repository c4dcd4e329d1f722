import { mean, sampleStd } from './math.ts';

/**
 * CWD's thresholds (§V-D, Table IV): for each known workload, the distances between every pair of its training
 * runs; the threshold is mean + k · std of those (CWD states mean ± std; the upper end decides). A query is
 * compared with each workload by its mean distance to that workload's training runs; the nearest workload is the
 * one it resembles, and it is "known" when that distance is within the workload's threshold.
 */
export interface WorkloadThreshold {
  readonly workload: string;
  readonly mean: number;
  readonly std: number;
  readonly threshold: number;
  readonly pairs: number;
}

export function thresholds(dist: (i: number, j: number) => number, labels: readonly string[], train: readonly number[], k: number): WorkloadThreshold[] {
  const by = new Map<string, number[]>();
  for (const i of train) {
    if (!by.has(labels[i]!)) by.set(labels[i]!, []);
    by.get(labels[i]!)!.push(i);
  }
  return [...by.keys()].sort().map((w) => {
    const idx = by.get(w)!;
    const d: number[] = [];
    for (let a = 0; a < idx.length; a++) for (let b = a + 1; b < idx.length; b++) d.push(dist(idx[a]!, idx[b]!));
    const m = mean(d);
    const s = sampleStd(d);
    return { workload: w, mean: m, std: s, threshold: m + k * s, pairs: d.length };
  });
}

export interface KnownDecision {
  readonly nearest: string;
  readonly distance: number;
  readonly threshold: number;
  readonly known: boolean;
  /** Mean distance to every known workload's training runs. */
  readonly byWorkload: Record<string, number>;
}

export function decide(query: number, dist: (i: number, j: number) => number, labels: readonly string[], train: readonly number[], th: readonly WorkloadThreshold[]): KnownDecision {
  const byWorkload: Record<string, number> = {};
  let nearest = '';
  let best = Infinity;
  for (const t of th) {
    const d = mean(train.filter((i) => labels[i] === t.workload && i !== query).map((i) => dist(query, i)));
    byWorkload[t.workload] = d;
    if (d < best) {
      best = d;
      nearest = t.workload;
    }
  }
  const t = th.find((x) => x.workload === nearest);
  return { nearest, distance: best, threshold: t?.threshold ?? Infinity, known: t ? best <= t.threshold : false, byWorkload };
}
