import type { TraceRole } from './types.ts';

/** Vocabularies, normalisers and baselines learn from training traces only; anything else is a leak, so refuse it. */
export function assertTrainingOnly(items: readonly { role: TraceRole; traceId: string }[], what: string): void {
  const leak = items.find((t) => t.role !== 'train');
  if (leak) {
    throw new Error(`${what} must be fitted on training traces only, but got "${leak.traceId}" (${leak.role})`);
  }
}
