import type { SequenceModelConfig } from '../ml/sequence-model.ts';
import { streamingModel } from '../ml/stream.ts';
import type { WeightData } from '../ml/weights.ts';
import { writeFeatures, type FeatureLayout, type Normaliser } from './features.ts';
import type { EncodedSequence } from './types.ts';

export interface StreamLatency {
  readonly streamEvents: number;
  readonly streamP50Us: number;
  readonly streamP99Us: number;
  readonly streamMeanUs: number;
}

const WARMUP_EVENTS = 200;

function percentile(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
}

/**
 * Feeds events one at a time through the typed-array engine, state carried forward within each sequence, and
 * times each step including building its feature vector (what a scheduler would pay per event).
 */
export function streamLatency(
  config: SequenceModelConfig,
  weights: readonly WeightData[],
  seqs: readonly EncodedSequence[],
  layout: FeatureLayout,
  norm: Normaliser,
  events: number,
): StreamLatency {
  const model = streamingModel(config, weights);
  const input = new Float32Array(layout.width);
  // Untimed steps first, so the JIT has compiled the loops before the timed ones.
  const first = seqs.find((s) => s.length > 0);
  for (let p = 0; first && p < Math.min(WARMUP_EVENTS, first.length); p++) {
    writeFeatures(first, p, layout, norm, input, 0);
    model.step(input);
  }
  const times: number[] = [];
  for (const s of seqs) {
    model.reset();
    for (let p = 0; p < s.length && times.length < events; p++) {
      const t0 = performance.now();
      writeFeatures(s, p, layout, norm, input, 0);
      model.step(input);
      times.push((performance.now() - t0) * 1000);
    }
    if (times.length >= events) break;
  }
  const sorted = Float64Array.from(times).sort();
  return {
    streamEvents: times.length,
    streamP50Us: percentile(sorted, 0.5),
    streamP99Us: percentile(sorted, 0.99),
    streamMeanUs: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
  };
}
