import type { WeightData } from '../ml/weights.ts';

/**
 * A ReLU MLP (core/engine/mlp.ts's weights: dense{l}/w [in×out], dense{l}/b) in float64 for verification: hidden
 * layers are ReLU, the last layer linear with one output. Exact arithmetic is what a counterexample is checked with.
 */
export interface ReluNet {
  readonly inputs: number;
  readonly layers: readonly { readonly w: Float64Array; readonly b: Float64Array; readonly nIn: number; readonly nOut: number }[];
}

export function reluNetFromWeights(weights: readonly WeightData[]): ReluNet {
  const layers: { w: Float64Array; b: Float64Array; nIn: number; nOut: number }[] = [];
  for (let l = 0; ; l++) {
    const w = weights.find((x) => x.name === `dense${l}/w`);
    const b = weights.find((x) => x.name === `dense${l}/b`);
    if (!w || !b) break;
    const [nIn, nOut] = w.shape as [number, number];
    if (l > 0 && nIn !== layers[l - 1]!.nOut) throw new Error(`dense${l}/w has ${nIn} inputs; dense${l - 1} has ${layers[l - 1]!.nOut} outputs`);
    if (b.data.length !== nOut) throw new Error(`dense${l}/b has ${b.data.length} values; dense${l}/w has ${nOut} outputs`);
    layers.push({ w: Float64Array.from(w.data), b: Float64Array.from(b.data), nIn, nOut });
  }
  if (layers.length === 0) throw new Error('no dense0/w and dense0/b: not an MLP');
  if (layers.at(-1)!.nOut !== 1) throw new Error(`the verifier handles one output; this MLP has ${layers.at(-1)!.nOut}`);
  return { inputs: layers[0]!.nIn, layers };
}

/** f(x), in float64. */
export function evaluate(net: ReluNet, x: ArrayLike<number>): number {
  let a = Float64Array.from(x);
  net.layers.forEach((L, l) => {
    const z = Float64Array.from(L.b);
    for (let i = 0; i < L.nIn; i++) {
      const v = a[i]!;
      if (v === 0) continue;
      for (let j = 0; j < L.nOut; j++) z[j]! += v * L.w[i * L.nOut + j]!;
    }
    if (l + 1 < net.layers.length) for (let j = 0; j < z.length; j++) if (z[j]! < 0) z[j] = 0;
    a = z;
  });
  return a[0]!;
}
