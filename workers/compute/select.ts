import { describeEngine, setComputeTarget } from '../../core/ml/compute-target.ts';
import type { BackendName } from './types.ts';

/**
 * What a training worker calls with the app's choice. The engine needs nothing loaded; a tfjs backend (the path
 * for a real GPU) loads TensorFlow.js on first use, so a worker that trains on the engine never downloads it.
 */
export async function selectCompute(name: BackendName): Promise<void> {
  if (name === 'engine') {
    setComputeTarget({ kind: 'engine' });
    return;
  }
  const { useBackend } = await import('./register.ts');
  await useBackend(name);
  setComputeTarget({ kind: 'tfjs' });
}

/** How results name where they were computed: "engine · wasm-relaxed-simd" or "tfjs-webgpu". */
export function computeLabel(name: BackendName): string {
  return name === 'engine' ? describeEngine() : `tfjs-${name}`;
}
