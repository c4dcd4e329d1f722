import type { Rng } from '../ml/rng.ts';
import type { FeatureLayout } from './features.ts';
import { OTHER_CLASS, UNKNOWN_CLASS, type SchedTarget } from './types.ts';

/**
 * Teaches a model what an unseen task looks like. Training data has no <unknown> class (every training class is
 * known by construction), so on a held-out workload the model would meet an input it never saw. Per training
 * window, each real class present is turned into <unknown> with probability `rate`, everywhere in the window and in
 * its target, so the model learns how a task it cannot name behaves (e.g. ping-pong with another unknown task).
 */
export function maskUnknownClasses(
  x: Float32Array,
  y: Int32Array,
  window: number,
  layout: FeatureLayout,
  target: SchedTarget,
  rate: number,
  rng: Rng,
): void {
  if (rate <= 0) return;
  const F = layout.width;
  const V = layout.vocabSize;
  const batch = x.length / (window * F);
  // y holds one target per window, or one per step (all-steps training).
  const perWindow = y.length / batch;
  const masked = new Uint8Array(V);
  for (let b = 0; b < batch; b++) {
    masked.fill(0);
    // Decide per class once per window, in class order, so the draw does not depend on where classes appear.
    const present = new Uint8Array(V);
    for (let t = 0; t < window; t++) {
      const row = (b * window + t) * F + layout.classOffset;
      for (let c = OTHER_CLASS + 1; c < V; c++) if (x[row + c] === 1) present[c] = 1;
    }
    if (target === 'next-class') for (let j = 0; j < perWindow; j++) if (y[b * perWindow + j]! > OTHER_CLASS) present[y[b * perWindow + j]!] = 1;
    let any = false;
    for (let c = OTHER_CLASS + 1; c < V; c++) {
      if (present[c] && rng.next() < rate) {
        masked[c] = 1;
        any = true;
      }
    }
    if (!any) continue;
    for (let t = 0; t < window; t++) {
      const row = (b * window + t) * F + layout.classOffset;
      for (let c = OTHER_CLASS + 1; c < V; c++) {
        if (masked[c] && x[row + c] === 1) {
          x[row + c] = 0;
          x[row + UNKNOWN_CLASS] = 1;
        }
      }
    }
    if (target === 'next-class') {
      for (let j = b * perWindow; j < (b + 1) * perWindow; j++) if (y[j]! >= 0 && masked[y[j]!]) y[j] = UNKNOWN_CLASS;
    }
  }
}
