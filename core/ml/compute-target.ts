import { bestKernel, kernelAvailable, type KernelName } from '../engine/kernels.ts';

/**
 * Where the labs train: core/engine on the CPU (the default everywhere), or TensorFlow.js on its active backend
 * (what a worker picks when it chose a real GPU: WebGPU, then WebGL). One setting per worker or CLI process.
 */
export type ComputeTarget = { kind: 'engine'; kernel: KernelName } | { kind: 'tfjs' };

let target: ComputeTarget | null = null;

export function computeTarget(): ComputeTarget {
  return (target ??= { kind: 'engine', kernel: bestKernel() });
}

/** Trains on the engine (its fastest kernels unless one is named) or on tfjs's active backend. */
export function setComputeTarget(t: { kind: 'engine'; kernel?: KernelName } | { kind: 'tfjs' }): void {
  if (t.kind === 'engine' && t.kernel && !kernelAvailable(t.kernel)) throw new Error(`the engine's ${t.kernel} kernels cannot run here`);
  target = t.kind === 'engine' ? { kind: 'engine', kernel: t.kernel ?? bestKernel() } : t;
}

/** The engine's kernels: the chosen ones when training on the engine, else the fastest (streaming always runs on it). */
export function engineKernel(): KernelName {
  const t = computeTarget();
  return t.kind === 'engine' ? t.kernel : bestKernel();
}

/** How results name the engine: "engine · wasm-relaxed-simd". */
export function describeEngine(kernel: KernelName = engineKernel()): string {
  return `engine · ${kernel}`;
}
