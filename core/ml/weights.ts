import * as tf from '@tensorflow/tfjs';
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

/** tf.Variables keyed by name, created from WeightData and read back into it. */
export class ParamSet {
  readonly vars = new Map<string, tf.Variable>();

  constructor(weights: readonly WeightData[]) {
    for (const w of weights) {
      this.vars.set(w.name, tf.tidy(() => tf.variable(tf.tensor(w.data, [...w.shape]), true, undefined)));
    }
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`model has no weight named "${name}"`);
    return v;
  }

  list(): tf.Variable[] {
    return [...this.vars.values()];
  }

  async read(): Promise<WeightData[]> {
    const out: WeightData[] = [];
    for (const [name, v] of this.vars) out.push({ name, shape: v.shape, data: (await v.data()) as Float32Array });
    return out;
  }

  assign(weights: readonly WeightData[]): void {
    for (const w of weights) {
      const v = this.get(w.name);
      tf.tidy(() => v.assign(tf.tensor(w.data, [...w.shape])));
    }
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

export function weightByName(weights: readonly WeightData[], name: string): WeightData {
  const w = weights.find((x) => x.name === name);
  if (!w) throw new Error(`model has no weight named "${name}"`);
  return w;
}
