/**
 * The `models` bench suite in a dedicated worker of the built app, as the app trains: `npm run bench -- --only
 * models` reaches it through window.__tlab.benchModels (app/testing/test-hooks.ts → workers/model-bench/page.ts).
 * Never started by a normal page load.
 */
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { benchEngine, benchModelTfjs, benchTyped, type Budget, type ModelKey } from '../bench/models-core.ts';
import type { KernelName } from '../core/engine/kernels.ts';
import type { BenchRow } from '../bench/report.ts';
import { useBackend, webgpuAdapter } from './compute/register.ts';
import type { AdapterSummary, TfjsBackendName } from './compute/types.ts';

const api = {
  /** Switches to `name` (rejects with the reason when it cannot); returns the WebGPU adapter's facts for webgpu. */
  async use(name: TfjsBackendName, timeoutMs: number): Promise<{ backend: string; adapter?: AdapterSummary }> {
    const adapter = name === 'webgpu' ? (await webgpuAdapter(timeoutMs)).adapter : undefined;
    await useBackend(name, timeoutMs);
    return { backend: tf.getBackend(), ...(adapter ? { adapter } : {}) };
  },
  model(key: ModelKey, label: string, budget?: Budget): Promise<BenchRow[]> {
    return benchModelTfjs(key, label, budget ? { budget } : {});
  },
  engine(key: Exclude<ModelKey, 'skipgram'>, label: string, kernel: KernelName, budget?: Budget): Promise<BenchRow[]> {
    return benchEngine(key, label, kernel, budget ? { budget } : {});
  },
  typed(label: string): Promise<BenchRow[]> {
    return benchTyped(label);
  },
};

export type ModelBenchApi = typeof api;

Comlink.expose(api);
