import { Rng } from '../ml/rng.ts';

/**
 * CWD's split: per workload, a seeded shuffle of its runs, the first round(share · n) for training and the rest
 * for testing (10 runs → 7 / 3). Returns indices into `labels`.
 */
export function splitPerClass(labels: readonly string[], trainShare: number, seed: number): { train: number[]; test: number[] } {
  const rng = new Rng(seed);
  const byClass = new Map<string, number[]>();
  labels.forEach((l, i) => {
    if (!byClass.has(l)) byClass.set(l, []);
    byClass.get(l)!.push(i);
  });
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...byClass.keys()].sort()) {
    const idx = rng.shuffle([...byClass.get(key)!]);
    const k = Math.round(trainShare * idx.length);
    train.push(...idx.slice(0, k));
    test.push(...idx.slice(k));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** Leave-one-run-out: one fold per run, holding out that run only. */
export function leaveOneOut(n: number): { train: number[]; test: number[] }[] {
  return Array.from({ length: n }, (_, i) => ({ train: Array.from({ length: n - 1 }, (_, j) => (j < i ? j : j + 1)), test: [i] }));
}
