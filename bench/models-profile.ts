// Where a training step's time goes on the active tfjs backend: tf.profile's per-kernel times, summed by kernel.
import * as tf from '@tensorflow/tfjs';
import { makeSkipGramStep, makeTrainStep, type ModelKey } from './models-core.ts';
import type { BenchRow } from './report.ts';

const WRAPPER = 'forward';

/**
 * Profiles `steps` training steps (after 3 warm-up steps) and returns per-step milliseconds per kernel (the `top`
 * biggest, the rest summed), kernel time in all, and the step's wall time under profiling; wall minus kernels is
 * what tfjs spends outside kernels (tape, tidy, tensor bookkeeping, uploads) plus the profiler's own cost.
 * Each kernel's time is the backend's `time()`: on wasm and cpu the synchronous wall time of the kernel call.
 * tf.customGrad wrappers (core/ml's matMulFast, skip-gram's gatherRows) show up as a kernel named "forward" whose
 * time already contains the kernels inside it (also listed): it is reported on its own row, outside the total.
 * The unprofiled median step time comes first, for scale (profiling adds per-kernel bookkeeping).
 */
export async function profileTrainStep(key: ModelKey, backend: string, steps = 3, top = 10): Promise<BenchRow[]> {
  const s = key === 'skipgram' ? makeSkipGramStep() : makeTrainStep(key);
  try {
    const plain: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await s.step(i);
      if (i >= 2) plain.push(performance.now() - t);
    }
    const byKernel = new Map<string, { ms: number; calls: number }>();
    let wall = 0;
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      const info = await tf.profile(() => s.step(5 + i));
      wall += performance.now() - t;
      for (const k of info.kernels) {
        const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
        e.ms += k.kernelTimeMs as number;
        e.calls++;
        byKernel.set(k.name, e);
      }
    }
    const wrapper = byKernel.get(WRAPPER);
    byKernel.delete(WRAPPER);
    const sorted = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
    const total = sorted.reduce((a, [, e]) => a + e.ms, 0) / steps;
    const row = (metric: string, value: number, unit: string): BenchRow => ({ suite: 'models', model: key, backend, metric, value, unit });
    const rows: BenchRow[] = [
      row('profile_step_ms_unprofiled_median', plain.sort((a, b) => a - b)[1]!, 'ms'),
      row('profile_step_wall_ms', wall / steps, 'ms'),
      row('profile_kernels_total_ms', total, 'ms'),
      row('profile_kernel_calls', sorted.reduce((a, [, e]) => a + e.calls, 0) / steps, 'calls'),
    ];
    for (const [name, e] of sorted.slice(0, top)) {
      rows.push(row(`profile_ms:${name} (${Math.round(e.calls / steps)} calls, ${((100 * e.ms) / steps / total).toFixed(0)}%)`, e.ms / steps, 'ms'));
    }
    const rest = sorted.slice(top).reduce((a, [, e]) => a + e.ms, 0) / steps;
    if (sorted.length > top) rows.push(row(`profile_ms:other ${sorted.length - top} kernels`, rest, 'ms'));
    if (wrapper) rows.push(row(`profile_ms_not_in_total:customGrad "forward" wrappers (${Math.round(wrapper.calls / steps)} calls, inner kernels listed above)`, wrapper.ms / steps, 'ms'));
    return rows;
  } finally {
    s.dispose();
  }
}
