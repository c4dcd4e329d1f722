import type { SequenceModelConfig } from '../ml/sequence-config.ts';
import { engineStreamingModel } from '../engine/stream.ts';
import { describeEngine, engineKernel } from '../ml/compute-target.ts';
import type { WeightData } from '../ml/weights.ts';
import { writeFeatures, type FeatureLayout, type Normaliser } from './features.ts';
import type { EncodedSequence } from './types.ts';

export interface StreamLatency {
  /** What ran the stream: "engine · wasm-relaxed-simd, one event at a time". */
  readonly streamEngine: string;
  readonly streamEvents: number;
  readonly streamP50Us: number;
  readonly streamP99Us: number;
  readonly streamMeanUs: number;
  /** The clock's observed step: a page that is not cross-origin isolated gets performance.now() in 100 µs steps. */
  readonly timerResolutionUs: number;
  /** Events per timed block: 1 where the clock is fine enough, else enough events for a block to span many steps. */
  readonly eventsPerTiming: number;
}

/** The smallest non-zero step of performance.now(), in µs. */
export function timerResolutionUs(): number {
  let best = Infinity;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    let t1 = t0;
    while (t1 === t0) t1 = performance.now();
    best = Math.min(best, (t1 - t0) * 1000);
  }
  return best;
}

const WARMUP_EVENTS = 200;
// A clock this fine times single events (Node, or an isolated page).
const FINE_CLOCK_US = 5;
// A rough per-event cost to size blocks; it only needs to be the right order of magnitude.
const ASSUMED_EVENT_US = 20;

function percentile(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN;
}

/**
 * Feeds events one at a time through the engine's streaming model, state carried forward within each sequence, and
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
  // Streaming is always on the CPU (a GPU round trip per event would dwarf the work): the engine's kernels, the
  // chosen ones when the lab trains on the engine.
  const kernel = engineKernel();
  const model = engineStreamingModel(config, weights, kernel);
  const input = new Float32Array(layout.width);
  // Untimed steps first, so the JIT has compiled the loops before the timed ones.
  const first = seqs.find((s) => s.length > 0);
  for (let p = 0; first && p < Math.min(WARMUP_EVENTS, first.length); p++) {
    writeFeatures(first, p, layout, norm, input, 0);
    model.step(input);
  }
  // With a coarse clock, one event reads as 0 or one whole step: time blocks that span ~20 steps instead, and
  // report per-event figures from them (the percentiles then describe blocks, which the field below says).
  const resolution = timerResolutionUs();
  const perTiming = resolution <= FINE_CLOCK_US ? 1 : Math.max(1, Math.ceil((20 * resolution) / ASSUMED_EVENT_US));
  const times: number[] = [];
  let fed = 0;
  let inBlock = 0;
  let t0 = performance.now();
  for (const s of seqs) {
    model.reset();
    for (let p = 0; p < s.length && fed < events; p++) {
      writeFeatures(s, p, layout, norm, input, 0);
      model.step(input);
      fed++;
      if (++inBlock === perTiming) {
        const t1 = performance.now();
        times.push(((t1 - t0) * 1000) / perTiming);
        inBlock = 0;
        t0 = t1;
      }
    }
    if (fed >= events) break;
  }
  const sorted = Float64Array.from(times).sort();
  return {
    streamEngine: `${describeEngine(kernel)}, one event at a time`,
    streamEvents: times.length * perTiming,
    streamP50Us: percentile(sorted, 0.5),
    streamP99Us: percentile(sorted, 0.99),
    streamMeanUs: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    timerResolutionUs: resolution,
    eventsPerTiming: perTiming,
  };
}
