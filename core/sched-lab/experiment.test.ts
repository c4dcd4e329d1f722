import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../bundle/index.ts';
import { computeTarget, setComputeTarget } from '../ml/compute-target.ts';
import { runSchedExperiment, type SchedResults, type SchedTraceInput } from './experiment.ts';
import { parseSchedSpec, type SchedSpecInput } from './spec.ts';

const DIR = new URL('../../public/datasets/sched/', import.meta.url).pathname;

const SPEC: SchedSpecInput = {
  lab: 'sched',
  seed: 7,
  bundles: [
    { path: 'messaging-1.tlab', workload: 'messaging', role: 'train' },
    { path: 'sysbench-cpu-1.tlab', workload: 'sysbench-cpu', role: 'train' },
    { path: 'sysbench-cpu-2.tlab', workload: 'sysbench-cpu', role: 'test-seen' },
    { path: 'io-stress-2.tlab', workload: 'io-stress', role: 'test-unseen' },
  ],
  window: 8,
  stride: 4,
  maxTrainWindows: 384,
  maxTestPositions: 600,
  latencyEvents: 50,
  models: [
    { kind: 'lstm', units: 8, embed: 8, epochs: 2, batchSize: 64, learningRate: 0.01 },
    { kind: 'tcn', filters: 8, kernel: 2, dilations: [1, 2], epochs: 2, batchSize: 64, learningRate: 0.01 },
  ],
};

async function inputs(spec: ReturnType<typeof parseSchedSpec>): Promise<SchedTraceInput[]> {
  return Promise.all(
    spec.bundles.map(async (ref) => {
      const r = await readBundle(new Uint8Array(readFileSync(DIR + ref.path)));
      if (!r.ok) throw new Error(`${ref.path}: ${r.error.kind}`);
      return { ref, bundle: r.bundle };
    }),
  );
}

describe('runSchedExperiment on recorded sched bundles', () => {
  let first: SchedResults;
  let tensorsBefore = 0;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    tensorsBefore = tf.memory().numTensors;
    const spec = parseSchedSpec(SPEC);
    first = await runSchedExperiment(spec, await inputs(spec), { backend: 'cpu' });
  }, 120_000);

  it('scores every baseline and model on the same test positions, seen and unseen', () => {
    expect(first.rows.map((r) => r.name)).toEqual(['most-frequent', 'repeat-last', 'ping-pong', 'ngram-1', 'ngram-2', 'ngram-3', 'LSTM', 'TCN']);
    const seen = first.data.testPositions['test-seen']!;
    const unseen = first.data.testPositions['test-unseen']!;
    expect(seen).toBeGreaterThan(100);
    expect(unseen).toBeGreaterThan(100);
    for (const r of first.rows) {
      expect(r.scores.byRole['test-seen']!.n).toBe(seen);
      expect(r.scores.byRole['test-unseen']!.n).toBe(unseen);
      expect(r.scores.byWorkload['io-stress']!.n).toBe(unseen);
      expect(r.scores.overall.topk).toBeGreaterThanOrEqual(r.scores.overall.top1);
    }
  });

  it('never lets test traces into training: classes only from training, unseen work shows as <unknown>', () => {
    const unseen = first.rows[0]!.scores.byRole['test-unseen']!;
    // io-stress runs stress-ng, which no training trace ran.
    expect(first.vocab).not.toContain('stress-ng');
    expect(first.vocab).not.toContain('stress-ng-hdd');
    expect(unseen.unknownShare).toBeGreaterThan(0);
    expect(first.data.trainWindows).toBeLessThanOrEqual(384);
    expect(first.data.validationWindows).toBeGreaterThan(0);
  });

  it('trains with early stopping on validation, records latency, and leaks no tensors', () => {
    for (const r of first.rows.filter((x) => x.kind === 'model')) {
      expect(r.training!.history.length).toBeGreaterThan(0);
      expect(r.training!.bestEpoch).toBeGreaterThan(0);
      expect(r.inference!.streamEvents).toBe(50);
      expect(r.inference!.streamP99Us).toBeGreaterThanOrEqual(r.inference!.streamP50Us);
      expect(r.inference!.batchedEventsPerSecond).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('the same spec gives the same numbers', async () => {
    const spec = parseSchedSpec(SPEC);
    const again = await runSchedExperiment(spec, await inputs(spec), { backend: 'cpu' });
    const numbers = (r: SchedResults) => r.rows.map((row) => [row.name, row.scores, row.training?.history.map((h) => [h.trainLoss, h.valLoss])]);
    expect(numbers(again)).toEqual(numbers(first));
  }, 120_000);

  it('trains on the engine by default, and tfjs (the GPU path) gives the same loss curves and scores within noise', async () => {
    const spec = parseSchedSpec(SPEC);
    expect(computeTarget().kind).toBe('engine');
    setComputeTarget({ kind: 'tfjs' });
    let tfjs: SchedResults;
    try {
      tfjs = await runSchedExperiment(spec, await inputs(spec), { backend: 'cpu' });
    } finally {
      setComputeTarget({ kind: 'engine' });
    }
    for (const name of ['LSTM', 'TCN']) {
      const a = first.rows.find((r) => r.name === name)!;
      const b = tfjs.rows.find((r) => r.name === name)!;
      const ha = a.training!.history;
      const hb = b.training!.history;
      expect(ha.length).toBe(hb.length);
      ha.forEach((h, i) => {
        // Same initial weights, same batches: only float32 rounding (and the engine's polynomial exp) differ.
        expect(Math.abs(h.trainLoss - hb[i]!.trainLoss) / hb[i]!.trainLoss, `${name} epoch ${i + 1} train loss`).toBeLessThan(0.01);
        expect(Math.abs(h.valLoss - hb[i]!.valLoss) / hb[i]!.valLoss, `${name} epoch ${i + 1} validation loss`).toBeLessThan(0.01);
      });
      expect(Math.abs(a.scores.overall.top1 - b.scores.overall.top1), `${name} top-1`).toBeLessThan(0.02);
    }
  }, 180_000);

  it('refuses a spec whose roles contradict the data, naming the field', () => {
    expect(() =>
      parseSchedSpec({ ...SPEC, bundles: [...SPEC.bundles, { path: 'messaging-2.tlab', workload: 'messaging', role: 'test-unseen' }] }),
    ).toThrow(/bundles\[4\]\.role: workload "messaging" has training traces, so it is not unseen/);
    expect(() => parseSchedSpec({ ...SPEC, window: 1 })).toThrow(/at window/);
  });
});
