/**
 * Classification scores over class indices 0..K−1: accuracy, per-class and macro-averaged precision, recall and
 * F1 (a class never predicted has precision 0; classes absent from the truth are left out of the macro average),
 * and the confusion matrix (rows: truth, columns: prediction).
 */
export interface ClassScores {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly perClass: { precision: number; recall: number; f1: number; support: number }[];
  readonly confusion: number[][];
  readonly n: number;
}

export function classScores(truth: readonly number[], pred: readonly number[], K: number): ClassScores {
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  let correct = 0;
  truth.forEach((t, i) => {
    confusion[t]![pred[i]!]!++;
    if (t === pred[i]) correct++;
  });
  const perClass = confusion.map((row, k) => {
    const tp = row[k]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[k]!, 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1, support };
  });
  const present = perClass.filter((c) => c.support > 0);
  const avg = (f: (c: (typeof perClass)[number]) => number) => (present.length ? present.reduce((a, c) => a + f(c), 0) / present.length : 0);
  return { accuracy: truth.length ? correct / truth.length : 0, precision: avg((c) => c.precision), recall: avg((c) => c.recall), f1: avg((c) => c.f1), perClass, confusion, n: truth.length };
}
