import { readFileSync } from 'node:fs';
import { readBundle } from '../core/bundle/index.ts';
import { buildOverview } from '../core/overview/index.ts';
import type { BenchRow } from './report.ts';

/** The core reader alone (no browser): MB/s and rows, the floor under the app's load time. */
export async function benchReadInNode(files: readonly string[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    const times: number[] = [];
    let tableRows = 0;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const r = await readBundle(bytes);
      if (!r.ok) throw new Error(`${file}: ${r.error.kind}`);
      buildOverview(r.bundle);
      times.push(performance.now() - t0);
      tableRows = Object.values(r.bundle.tables).reduce((n, t) => n + (t?.numRows ?? 0), 0);
    }
    const best = Math.min(...times);
    const model = file.split('/').pop()!;
    rows.push(
      { suite: 'read', model, backend: 'node', metric: 'read_and_summarise_ms', value: best, unit: 'ms' },
      { suite: 'read', model, backend: 'node', metric: 'throughput', value: bytes.byteLength / 2 ** 20 / (best / 1000), unit: 'MiB/s' },
      { suite: 'read', model, backend: 'node', metric: 'rows', value: tableRows, unit: 'rows' },
    );
  }
  return rows;
}
