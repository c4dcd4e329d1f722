import { readFileSync } from 'node:fs';
import { createLoader } from '../workers/bundle-loader/loader.ts';
import type { BenchRow } from './report.ts';

/**
 * The bundle loader worker's requests, run in Node on its real code (the worker's module, without the Worker):
 * time to open, to answer a zoomed overview (first and later zooms), to build the per-CPU timeline and answer
 * a view, and the memory the open bundle holds. What a person waits for after the first chart.
 */
export async function benchWorkerRequests(file: string): Promise<BenchRow[]> {
  const name = file.split('/').pop()!;
  const bytes = readFileSync(file);
  const rows: BenchRow[] = [];
  const row = (metric: string, value: number, unit = 'ms'): void => void rows.push({ suite: 'worker', model: name, backend: 'node', metric, value, unit });
  (globalThis as { gc?: () => void }).gc?.();
  const heap0 = process.memoryUsage();
  const api = createLoader();
  let t0 = performance.now();
  const opened = await api.open({ kind: 'file', file: new File([bytes], name) }, () => {});
  if (!opened.ok) throw new Error(`${file}: ${opened.error.kind}`);
  row('open_ms', performance.now() - t0);
  const d = opened.bundle.overview.durationS;
  // Zooms as a person drags the slider: ten windows sliding across the recording, each a tenth of it wide.
  const zooms: number[] = [];
  for (let k = 0; k < 10; k++) {
    t0 = performance.now();
    await api.overview({ from: (k * d) / 12, to: (k * d) / 12 + d / 10 });
    zooms.push(performance.now() - t0);
  }
  row('zoom_overview_first_ms', zooms[0]!);
  row('zoom_overview_median_ms', [...zooms].sort((a, b) => a - b)[5]!);
  t0 = performance.now();
  const info = await api.timelineInfo('sched');
  row('timeline_build_ms', performance.now() - t0);
  if (info) {
    const views: number[] = [];
    for (let k = 0; k < 10; k++) {
      t0 = performance.now();
      await api.timelineView('sched', (k * d) / 12, (k * d) / 12 + d / 1000, 1200);
      views.push(performance.now() - t0);
    }
    row('timeline_view_median_ms', [...views].sort((a, b) => a - b)[5]!);
  }
  (globalThis as { gc?: () => void }).gc?.();
  const heap1 = process.memoryUsage();
  row('held_heap_mib', (heap1.heapUsed - heap0.heapUsed) / 2 ** 20, 'MiB');
  row('held_array_buffers_mib', (heap1.arrayBuffers - heap0.arrayBuffers) / 2 ** 20, 'MiB');
  return rows;
}
