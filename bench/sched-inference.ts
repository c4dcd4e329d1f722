import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { readBundle } from '../core/bundle/index.ts';
import { Rng } from '../core/ml/rng.ts';
import { initialWeights } from '../core/ml/sequence-config.ts';
import { predictLogits, trainClassifier, type WindowSource } from '../core/ml/train.ts';
import { describeEngine, setComputeTarget } from '../core/ml/compute-target.ts';
import { modelConfig } from '../core/sched-lab/experiment.ts';
import { buildWindowBatch, featureLayout, fitNormaliser } from '../core/sched-lab/features.ts';
import { encodeSequences, targetClassCount } from '../core/sched-lab/sequences.ts';
import { SchedSpec, type ModelSpec } from '../core/sched-lab/spec.ts';
import { streamLatency } from '../core/sched-lab/stream-latency.ts';
import { extractSwitchTrace } from '../core/sched-lab/switches.ts';
import { buildVocab } from '../core/sched-lab/vocab.ts';
import { windowPositions } from '../core/sched-lab/windows.ts';
import { NODE_BACKENDS, useNodeBackend } from '../collector-cli/src/node-backend.ts';
import type { BenchRow } from './report.ts';

// KernelOracle2's measurement shape: batch 128; window 64 (its default), on this machine's CPU.
const BATCH = 128;
const TIMED_BATCHES = 4;
const STREAM_EVENTS = 5000;
// The pure-JS CPU backend takes minutes per LSTM training step at this shape; WASM is the Node backend that counts.
const BACKENDS = NODE_BACKENDS.filter((b) => b !== 'cpu' || process.env.TLAB_BENCH_CPU === '1');

/**
 * Scheduling-lab inference and training speed at KernelOracle2's shape (window 64, the lab's default LSTM and
 * TCN) on the switches of a real bundle. Weights are freshly initialised: speed does not depend on their values.
 */
export async function benchSchedInference(bundlePath: string): Promise<BenchRow[]> {
  const read = await readBundle(new Uint8Array(readFileSync(bundlePath)));
  if (!read.ok) throw new Error(`${bundlePath}: ${read.error.kind}`);
  const spec = SchedSpec.parse({ lab: 'sched', bundles: [{ path: bundlePath, workload: 'bench', role: 'train' }, { path: bundlePath, workload: 'bench', role: 'test-seen' }] });
  const trace = extractSwitchTrace(read.bundle, { traceId: bundlePath, workload: 'bench', role: 'train' });
  const vocab = buildVocab([trace], { maxClasses: spec.maxClasses, minCount: spec.minClassCount });
  const seqs = encodeSequences(trace, vocab, { mode: spec.sequence, target: spec.target, recentK: spec.recentK });
  const layout = featureLayout(vocab.names.length, Math.max(...seqs.map((s) => s.sequenceCpu)) + 1, spec.recentK);
  const norm = fitNormaliser(seqs);
  const outputs = targetClassCount(spec.target, vocab.names.length, spec.recentK);
  const positions = windowPositions(seqs, spec.window, spec.stride);
  const source = (count: number): WindowSource => ({
    count,
    window: spec.window,
    batch: (idx) => buildWindowBatch(seqs, positions, idx, spec.window, layout, norm),
  });
  const rows: BenchRow[] = [];
  for (const m of spec.models as ModelSpec[]) {
    const config = modelConfig(m, layout.width, outputs);
    const model = `${m.kind} (window ${spec.window}, ${m.kind === 'lstm' ? `${m.units} units` : `${m.filters} filters, dilations ${m.dilations.join('-')}`})`;
    const weights = initialWeights(config, new Rng(1));
    const s = streamLatency(config, weights, seqs, layout, norm, STREAM_EVENTS);
    const streamLabel = `${s.streamEngine.split(',')[0]!.replace(' · ', '-')}-stream`;
    rows.push(
      { suite: 'sched', model, backend: streamLabel, metric: 'per_event_p50', value: s.streamP50Us, unit: 'µs' },
      { suite: 'sched', model, backend: streamLabel, metric: 'per_event_p99', value: s.streamP99Us, unit: 'µs' },
      { suite: 'sched', model, backend: streamLabel, metric: 'events_per_second', value: 1e6 / s.streamMeanUs, unit: 'events/s' },
    );
    for (const backend of ['engine', ...BACKENDS] as const) {
      if (backend === 'engine') setComputeTarget({ kind: 'engine' });
      else {
        await useNodeBackend(backend);
        setComputeTarget({ kind: 'tfjs' });
      }
      const label = backend === 'engine' ? describeEngine().replace(' · ', '-') : `tfjs-${backend}`;
      // One untimed batch compiles kernels and fills caches.
      await predictLogits(config, weights, source(BATCH), BATCH);
      const t0 = performance.now();
      await predictLogits(config, weights, source(BATCH * TIMED_BATCHES), BATCH);
      const ms = (performance.now() - t0) / TIMED_BATCHES;
      rows.push(
        { suite: 'sched', model, backend: label, metric: 'batched_events_per_second', value: (BATCH * 1000) / ms, unit: 'events/s' },
        { suite: 'sched', model, backend: label, metric: 'amortised_ms_per_event_batch128', value: ms / BATCH, unit: 'ms' },
      );
      const steps = 6;
      const tr = await trainClassifier(config, weights, source(BATCH * steps), source(0), {
        epochs: 1,
        batchSize: BATCH,
        learningRate: 1e-3,
        patience: 1,
        rng: new Rng(2),
      });
      rows.push({ suite: 'sched', model, backend: label, metric: 'train_steps_per_second_batch128', value: tr.steps / (tr.trainMs / 1000), unit: 'steps/s' });
      if (backend !== 'engine' && tf.memory().numTensors > 0) throw new Error(`sched bench leaked ${tf.memory().numTensors} tensors on ${backend}`);
    }
  }
  return rows;
}
