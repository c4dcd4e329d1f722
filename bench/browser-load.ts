// Loads bundles in the built app in Debian's Chromium and measures what a person feels: time to the first
// chart, and the longest main-thread task while the bundle loads (the page must never freeze).
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from '../playwright.config.ts';
import type { BenchRow } from './report.ts';

// Several engineers bench on one machine: TLAB_BENCH_PORT and TLAB_BENCH_OUT (a `vite build --outDir`) keep runs apart.
export const PORT = Number(process.env.TLAB_BENCH_PORT ?? 4187);
const OUT_DIR = process.env.TLAB_BENCH_OUT;

export async function startPreview(): Promise<() => void> {
  const child = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', ...(OUT_DIR ? ['--outDir', OUT_DIR] : [])], { stdio: 'ignore', detached: true });
  // npx runs vite as its child: killing npx alone left vite serving the port after the bench. Its group goes.
  const stop = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      child.kill();
    }
  };
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) return stop;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error('vite preview did not start (run "npm run build" first)');
}

/**
 * Page script (plain JavaScript: tsx would wrap functions of a page.addInitScript callback in a helper the page
 * lacks): the loader worker's own timings of each load, its LoadResult's read and overview ms, as the worker's
 * messages carry them, into window.__loadTimings.
 */
const WATCH_LOAD_TIMINGS = `
window.__loadTimings = [];
(() => {
  const find = (v, depth) => {
    if (!v || typeof v !== 'object' || depth > 6) return null;
    const t = v.timings;
    if (t && typeof t.readMs === 'number' && typeof t.overviewMs === 'number') return t;
    for (const x of Object.values(v)) {
      const f = find(x, depth + 1);
      if (f) return f;
    }
    return null;
  };
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const t = find(e.data, 0);
        if (t) window.__loadTimings.push(t);
      });
    }
  };
})();
`;

export async function benchBrowserLoad(files: readonly string[], runs = 3): Promise<BenchRow[]> {
  const stop = await startPreview();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const rows: BenchRow[] = [];
  try {
    for (const file of files) {
      const name = file.split('/').pop()!;
      const firstChart: number[] = [];
      const workerRead: number[] = [];
      const workerOverview: number[] = [];
      const workerTotal: number[] = [];
      const longest: number[] = [];
      const over100: number[] = [];
      for (let run = 0; run < runs; run++) {
        const page = await browser.newPage();
        await page.addInitScript(() => {
          const w = window as unknown as { __longTasks: number[] };
          w.__longTasks = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) w.__longTasks.push(e.duration);
          }).observe({ type: 'longtask', buffered: true });
        });
        await page.addInitScript({ content: WATCH_LOAD_TIMINGS });
        await page.goto(`http://127.0.0.1:${PORT}/`);
        await page.waitForFunction(() => typeof window.__tlab?.waitForIdle === 'function');
        await page.evaluate(() => window.__tlab.waitForIdle());
        // Let start-up finish (the chart warm-up runs when the page is first idle): only tasks during the load count.
        await page.waitForTimeout(1000);
        await page.evaluate(() => {
          const w = window as unknown as { __longTasks: number[]; __loadTimings: unknown[] };
          w.__longTasks.length = 0;
          w.__loadTimings.length = 0;
        });
        // By path, as a file picker hands the page a File: sending the bytes through the driver would
        // itself block the page while they are copied in, and be counted against the app.
        await page.getByTestId('file-input').setInputFiles(file);
        await page.waitForFunction(() => window.__tlab.msToFirstChart() !== null, undefined, { timeout: 300_000 });
        await page.evaluate(() => window.__tlab.waitForIdle());
        const ms = await page.evaluate(() => window.__tlab.msToFirstChart()!);
        const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
        firstChart.push(ms);
        // The last message with timings is the whole bundle's (a partial overview comes before it).
        const timings = await page.evaluate(() => (window as unknown as { __loadTimings: { readMs: number; overviewMs: number }[] }).__loadTimings);
        const done = timings.at(-1);
        if (!done) throw new Error(`${name}: the loader worker's timings were not seen`);
        workerRead.push(done.readMs);
        workerOverview.push(done.overviewMs);
        workerTotal.push(done.readMs + done.overviewMs);
        longest.push(tasks.length ? Math.max(...tasks) : 0);
        over100.push(tasks.filter((t) => t > 100).length);
        await page.close();
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const model = `${name} (${(statSync(file).size / 2 ** 20).toFixed(1)} MiB)`;
      rows.push(
        { suite: 'load', model, backend: 'chromium', metric: 'ms_to_first_chart_median', value: median(firstChart), unit: 'ms' },
        {
          suite: 'load',
          model,
          backend: 'chromium',
          metric: 'worker_read_ms_median',
          value: median(workerRead),
          unit: 'ms',
          notes: 'the loader worker, from the file to the overview\'s columns decoded (its own clock)',
        },
        { suite: 'load', model, backend: 'chromium', metric: 'worker_overview_ms_median', value: median(workerOverview), unit: 'ms' },
        {
          suite: 'load',
          model,
          backend: 'chromium',
          metric: 'worker_read_and_summarise_mib_s',
          value: statSync(file).size / 2 ** 20 / (median(workerTotal) / 1000),
          unit: 'MiB/s',
        },
        { suite: 'load', model, backend: 'chromium', metric: 'longest_main_thread_task_max', value: Math.max(...longest), unit: 'ms' },
        { suite: 'load', model, backend: 'chromium', metric: 'tasks_over_100ms_max', value: Math.max(...over100), unit: 'count' },
      );
    }
  } finally {
    await browser.close();
    stop();
  }
  return rows;
}
