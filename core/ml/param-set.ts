import * as tf from '@tensorflow/tfjs';
import type { WeightData } from './weights.ts';

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
