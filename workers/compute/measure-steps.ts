import type { BenchmarkResult } from './types.ts';

/** The probe's timed step, the same on the engine and every tfjs backend. */
export const BENCHMARK_WHAT = 'Adam step, dense MLP 32→64→1 (ReLU), batch 256, loss read back each step; median step time';

export interface BenchmarkOptions {
  /** Time the steady-state window for about this long. */
  targetMs?: number;
  /** Never time fewer steps than this (unless capped). */
  minSteps?: number;
  /** A first step slower than this marks a compile-bound backend: warm-up and window are cut short. */
  slowFirstStepMs?: number;
}

/**
 * Times `step` (which returns the loss): one first step (compilation lands here), a short warm-up, then a window of
 * steps; the median step time. A compile-bound backend (a first step over slowFirstStepMs) gets one warm-up step
 * and half the window, so a probe stays within seconds.
 */
export async function measureSteps(step: () => Promise<number> | number, options: BenchmarkOptions = {}, what = BENCHMARK_WHAT): Promise<BenchmarkResult> {
  const targetMs = options.targetMs ?? 400;
  const minSteps = options.minSteps ?? 5;
  const slowFirstStepMs = options.slowFirstStepMs ?? 1000;
  let t0 = performance.now();
  const firstLoss = await step();
  const firstStepMs = performance.now() - t0;
  if (!Number.isFinite(firstLoss)) throw new Error(`first step gave a non-finite loss (${firstLoss})`);
  const slow = firstStepMs > slowFirstStepMs;
  for (let i = 0; i < (slow ? 1 : 3); i++) await step();
  const window = slow ? targetMs / 2 : targetMs;
  const floor = slow ? 2 : minSteps;
  const times: number[] = [];
  const start = performance.now();
  while (times.length < floor || performance.now() - start < window) {
    t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  const steps = times.length;
  // The median, not the mean: on a shared 2-core machine a burst of outside load would otherwise decide the choice.
  const sorted = [...times].sort((a, b) => a - b);
  const msPerStep = (sorted[(steps - 1) >> 1]! + sorted[steps >> 1]!) / 2;
  return {
    what,
    msPerStep,
    stepsPerSecond: 1000 / msPerStep,
    steps,
    firstStepMs,
    ...(slow ? { capped: `first step ${firstStepMs.toFixed(0)} ms (shader compilation): 1 warm-up step, ${steps} steps timed over ${window} ms` } : {}),
  };
}
