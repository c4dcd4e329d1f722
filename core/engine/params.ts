import type { WeightData } from '../ml/weights.ts';
import type { Arena } from './arena.ts';

export interface ParamEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly size: number;
  /** Offset of the values; the gradient is at off + total (see Params.grad). */
  readonly off: number;
}

/**
 * A model's weights as one contiguous block of the arena, followed by equal blocks for their gradients and the
 * optimiser's two moments, so zeroing gradients or an Adam step is one loop over all parameters.
 */
export class Params {
  readonly entries = new Map<string, ParamEntry>();
  readonly total: number;
  /** Offset of the values block; gradients at base + total, first moments at base + 2·total, second at base + 3·total. */
  readonly base: number;

  constructor(
    readonly arena: Arena,
    specs: readonly { name: string; shape: readonly number[] }[],
  ) {
    let total = 0;
    const placed: { name: string; shape: readonly number[]; size: number; at: number }[] = [];
    for (const s of specs) {
      const size = s.shape.reduce((a, b) => a * b, 1);
      placed.push({ ...s, size, at: total });
      // Each weight starts 16-byte aligned, as the SIMD kernels' loads prefer.
      total += (size + 3) & ~3;
    }
    this.total = total;
    this.base = arena.alloc(4 * total);
    for (const p of placed) this.entries.set(p.name, { name: p.name, shape: p.shape, size: p.size, off: this.base + p.at });
  }

  entry(name: string): ParamEntry {
    const e = this.entries.get(name);
    if (!e) throw new Error(`model has no weight named "${name}"`);
    return e;
  }

  value(name: string): number {
    return this.entry(name).off;
  }

  grad(name: string): number {
    return this.entry(name).off + this.total;
  }

  zeroGrads(): void {
    this.arena.f32.fill(0, this.base + this.total, this.base + 2 * this.total);
  }

  /** Loads weights by name; every weight of the model must be given, with its shape. */
  load(weights: readonly WeightData[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const e of this.entries.values()) {
      const w = byName.get(e.name);
      if (!w) throw new Error(`weights lack "${e.name}" (shape [${e.shape.join(', ')}])`);
      if (w.shape.length !== e.shape.length || w.shape.some((d, i) => d !== e.shape[i]) || w.data.length !== e.size) {
        throw new Error(`weight "${e.name}" has shape [${w.shape.join(', ')}]; the model needs [${e.shape.join(', ')}]`);
      }
      this.arena.write(e.off, w.data);
    }
  }

  read(): WeightData[] {
    return [...this.entries.values()].map((e) => ({ name: e.name, shape: [...e.shape], data: this.arena.read(e.off, e.size) }));
  }
}
