// The `models` suite in Debian's Chromium: the built app (dist/, served by vite preview) runs each backend's
// measurements in a dedicated worker through window.__tlab.benchModels (workers/model-bench/page.ts).
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config.ts';
import { PORT, startPreview } from './browser-load.ts';
import { DEFAULT_BUDGET, type Budget, type ModelKey } from './models-core.ts';
import type { BenchRow } from './report.ts';
import type { KernelName } from '../core/engine/kernels.ts';
import type { ModelBenchRequest } from '../workers/model-bench/page.ts';

type BrowserBackend = ModelBenchRequest['backend'];

// Slow backends (a software WebGPU adapter; tfjs's pure-JS cpu at seconds per TCN step) get a short budget and a cap.
const PLAN: { backend: BrowserBackend; kernel?: KernelName; label?: string; budget: Budget; capMs: number }[] = [
  { backend: 'engine', kernel: 'wasm-relaxed-simd', label: 'engine-wasm-relaxed-simd-chromium', budget: DEFAULT_BUDGET, capMs: 120_000 },
  { backend: 'engine', kernel: 'wasm-simd', label: 'engine-wasm-simd-chromium', budget: DEFAULT_BUDGET, capMs: 120_000 },
  { backend: 'wasm', budget: DEFAULT_BUDGET, capMs: 120_000 },
  { backend: 'webgl', budget: { ...DEFAULT_BUDGET, warmSteps: 2, minSteps: 4 }, capMs: 150_000 },
  { backend: 'webgpu', budget: { warmSteps: 1, seconds: 2, minSteps: 3, maxSteps: 100, slowFirstStepMs: 3000, capSeconds: 60 }, capMs: 120_000 },
  { backend: 'cpu', budget: { warmSteps: 1, seconds: 2, minSteps: 3, maxSteps: 100, slowFirstStepMs: 3000, capSeconds: 60 }, capMs: 120_000 },
  { backend: 'js-typed', budget: DEFAULT_BUDGET, capMs: 120_000 },
];

export interface BrowserModelsResult {
  rows: BenchRow[];
  /** Lines to print after the table: adapters, errors, caps. */
  notes: string[];
}

export async function benchModelsInChromium(models: ModelKey[], log: (line: string) => void, skip: ReadonlySet<string> = new Set()): Promise<BrowserModelsResult> {
  const stop = await startPreview();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const out: BrowserModelsResult = { rows: [], notes: [] };
  try {
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') log(`chromium console: ${m.text()}`);
    });
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.waitForFunction(() => typeof window.__tlab?.benchModels === 'function');
    for (const p of PLAN) {
      const label = p.label ?? `chromium-${p.backend}`;
      if (skip.has(label)) continue;
      log(`models: ${label}…`);
      const req: ModelBenchRequest = { backend: p.backend, ...(p.kernel ? { kernel: p.kernel } : {}), label, models, budget: p.budget, capMs: p.capMs };
      const t0 = performance.now();
      const r = await page.evaluate((q) => window.__tlab.benchModels(q), req);
      log(`models: ${label}: ${r.rows.length} rows in ${((performance.now() - t0) / 1000).toFixed(0)} s${r.errors.length ? `; ${r.errors.join('; ')}` : ''}`);
      for (const x of r.rows) if (x.metric.startsWith('train_steps') || x.metric.startsWith('infer_single')) log(`  ${x.model.split(' (')[0]} ${x.metric} ${x.value.toPrecision(4)} ${x.unit}`);
      out.rows.push(...r.rows);
      if (r.adapter) out.notes.push(`${label} adapter: ${JSON.stringify(r.adapter)}`);
      for (const e of r.errors) out.notes.push(`${label}: ${e}`);
    }
  } finally {
    await browser.close();
    stop();
  }
  return out;
}
