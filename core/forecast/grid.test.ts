import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../bundle/reader.ts';
import { runGrid, type GridProgress } from './grid.ts';
import { DEFAULT_TARGET, buildSeries, listSeries, seriesIdsOf, frameFromColumns } from './series.ts';
import { splitBounds } from './windows.ts';

async function compression() {
  const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/compression.tlab', import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  return r.bundle;
}

describe('grid', () => {
  it('runs end to end on a real bundle, and persistence scores what a direct computation gives', async () => {
    const bundle = await compression();
    const inputs = seriesIdsOf(listSeries(bundle), ['usage']);
    expect(inputs).toContain(DEFAULT_TARGET);
    const frame = buildSeries(bundle, [DEFAULT_TARGET, ...inputs]);
    const progress: GridProgress[] = [];
    const spec = { targetId: DEFAULT_TARGET, inputIds: inputs, inputsLabel: 'usage', horizons: [1, 3], histories: [2, 4], seed: 4, forest: { trees: 20 } };
    const result = await runGrid(frame, spec, { onProgress: (p) => progress.push(p) });
    expect(result.skipped).toEqual([]);
    expect(result.rows).toHaveLength(2 * 2 * 4);
    expect(progress.at(-1)).toMatchObject({ done: 16, total: 16 });
    for (const row of result.rows) {
      expect(row.inputs).toBe('usage');
      expect(Number.isFinite(row.rmse) && Number.isFinite(row.mae) && Number.isFinite(row.valRmse)).toBe(true);
      expect(row.mae).toBeLessThanOrEqual(row.rmse + 1e-12);
    }
    // Persistence directly: every test interval j predicted by the value h intervals earlier.
    const cpu = frame.columns.get(DEFAULT_TARGET)!;
    const { valEnd, n } = splitBounds(cpu.length);
    for (const h of [1, 3]) {
      let ss = 0;
      for (let j = valEnd; j < n; j++) ss += (cpu[j]! - cpu[j - h]!) ** 2;
      const direct = Math.sqrt(ss / (n - valEnd));
      for (const k of [2, 4]) {
        const row = result.rows.find((r) => r.model === 'persistence' && r.horizon === h && r.history === k)!;
        expect(row.rmse).toBeCloseTo(direct, 6);
        expect(row.n).toBe(n - valEnd);
        expect(row.skill).toBe(0);
      }
    }
    // The same seed gives the same table.
    const again = await runGrid(frame, spec);
    expect(again.rows).toEqual(result.rows);
  });

  it('stops when aborted and skips cells without enough data', async () => {
    const frame = frameFromColumns({ y: Array.from({ length: 30 }, (_, i) => Math.sin(i)) });
    const controller = new AbortController();
    const run = runGrid(frame, { targetId: 'y', inputIds: ['y'], horizons: [1, 2, 3], histories: [1, 2] }, {
      signal: controller.signal,
      onProgress: (p) => p.done === 2 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    // 30 intervals, train [0, 18): history 16 + horizon 2 leaves 1 training example.
    const small = await runGrid(frame, { targetId: 'y', inputIds: ['y'], horizons: [2], histories: [16] });
    expect(small.rows.map((r) => r.model)).toEqual(['persistence', 'moving-average']);
    expect(small.skipped.map((s) => s.model)).toEqual(['ridge', 'random-forest']);
  });
});
