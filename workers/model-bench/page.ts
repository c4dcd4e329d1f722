/**
 * Page side of the `models` bench: runs the suite's measurements for one backend in a fresh dedicated worker
 * (workers/model-bench.worker.ts), one model at a time, each under a time cap: a model that runs past its cap
 * (the software WebGPU adapter's first steps can take many seconds) ends the worker and is reported as an error,
 * with the rows measured before it kept. Loaded only by window.__tlab.benchModels, never by a normal page load.
 */
import * as Comlink from 'comlink';
import type { Budget, ModelKey } from '../../bench/models-core.ts';
import type { BenchRow } from '../../bench/report.ts';
import type { AdapterSummary, BackendName } from '../compute/types.ts';
import type { KernelName } from '../../core/engine/kernels.ts';
import type { ModelBenchApi } from '../model-bench.worker.ts';

export interface ModelBenchRequest {
  /** A tfjs backend, 'engine' (core/engine with `kernel`), or 'js-typed' for the typed-array paths. */
  backend: BackendName | 'js-typed';
  kernel?: KernelName;
  /** The backend column of the rows. */
  label: string;
  models: ModelKey[];
  budget?: Budget;
  /** Cap on each model's measurement, and on backend initialisation (ms). */
  capMs: number;
}

export interface ModelBenchResult {
  rows: BenchRow[];
  errors: string[];
  adapter?: AdapterSummary;
}

class Capped extends Error {}

function capped<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Capped(`${what}: over the ${Math.round(ms / 1000)} s cap, stopped`)), ms);
  });
  return Promise.race([p, cap]).finally(() => clearTimeout(timer));
}

export async function benchModelsInWorker(req: ModelBenchRequest): Promise<ModelBenchResult> {
  const worker = new Worker(new URL('../model-bench.worker.ts', import.meta.url), { type: 'module' });
  const api = Comlink.wrap<ModelBenchApi>(worker);
  const out: ModelBenchResult = { rows: [], errors: [] };
  try {
    if (req.backend === 'js-typed') {
      out.rows.push(...(await capped(api.typed(req.label), req.capMs, 'js-typed')));
      return out;
    }
    if (req.backend === 'engine') {
      for (const key of req.models) {
        if (key === 'skipgram') continue;
        try {
          out.rows.push(...(await capped(api.engine(key, req.label, req.kernel ?? 'wasm-relaxed-simd', req.budget), req.capMs, `${key} on the engine`)));
        } catch (e) {
          out.errors.push(`${key} on the engine (${req.kernel}): ${(e as Error).message}`);
          if (e instanceof Capped) break;
        }
      }
      return out;
    }
    const used = await capped(api.use(req.backend, req.capMs), req.capMs + 1000, `initialising ${req.backend}`);
    if (used.adapter) out.adapter = used.adapter;
    for (const key of req.models) {
      try {
        out.rows.push(...(await capped(api.model(key, req.label, req.budget), req.capMs, `${key} on ${req.backend}`)));
      } catch (e) {
        out.errors.push(`${key} on ${req.backend}: ${(e as Error).message}`);
        // A capped model leaves its worker busy: the backend's remaining models are skipped.
        if (e instanceof Capped) break;
      }
    }
  } catch (e) {
    out.errors.push(`${req.backend}: ${(e as Error).message}`);
  } finally {
    worker.terminate();
  }
  return out;
}
