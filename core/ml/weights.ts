import type { Rng } from './rng.ts';

/** A named weight as plain data: what is saved, exported, and read by the typed-array inference engines. */
export interface WeightData {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Glorot/Xavier uniform for a [fanIn, fanOut] matrix, drawn from the experiment's RNG (not tfjs's). */
export function glorotUniform(rng: Rng, fanIn: number, fanOut: number, size = fanIn * fanOut): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.uniform(-limit, limit);
  return out;
}

export function zeros(size: number, value = 0): Float32Array {
  return new Float32Array(size).fill(value);
}

export function weightByName(weights: readonly WeightData[], name: string): WeightData {
  const w = weights.find((x) => x.name === name);
  if (!w) throw new Error(`model has no weight named "${name}"`);
  return w;
}
