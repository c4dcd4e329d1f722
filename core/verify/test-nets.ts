import type { WeightData } from '../ml/weights.ts';
import { reluNetFromWeights, type ReluNet } from './relu-net.ts';

/** For tests: a net from explicit layers, [w (in×out, row-major), b] per layer, the last layer one output. */
export function netFromLayers(layers: [number[][], number[]][]): ReluNet {
  const weights: WeightData[] = [];
  layers.forEach(([w, b], l) => {
    weights.push({ name: `dense${l}/w`, shape: [w.length, w[0]!.length], data: Float32Array.from(w.flat()) });
    weights.push({ name: `dense${l}/b`, shape: [b.length], data: Float32Array.from(b) });
  });
  return reluNetFromWeights(weights);
}
