import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn, readBundle } from '../bundle/index.ts';
import { buildSeries, listSeries } from './series.ts';
import { addSyscallEmbeddingSeries, EMBEDDING_SERIES_PREFIX } from './syscall-embedding-series.ts';

describe('addSyscallEmbeddingSeries on compression.tlab', () => {
  it('trains on the training span only and gives each interval the mean vector of its calls', async () => {
    const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/compression.tlab', import.meta.url))));
    if (!r.ok) throw new Error(r.error.kind);
    const bundle = r.bundle;
    const frame = buildSeries(bundle, listSeries(bundle).map((s) => s.id));
    const trainEnd = Math.round(frame.tNs.length * 0.6);
    const { frame: out, ids, summary } = await addSyscallEmbeddingSeries(frame, bundle, trainEnd, { dim: 4, epochs: 1, seed: 3 });
    expect(ids).toEqual([0, 1, 2, 3].map((k) => `${EMBEDDING_SERIES_PREFIX}${k}`));
    expect(summary.trainedUntilNs).toBe(frame.tNs[trainEnd - 1]);

    // Independently: the syscall rows of the table, bucketed onto the grid, averaged with the summary's vectors.
    const t = bundle.tables.syscalls!;
    const ts = numberColumn(t, 'ts_ns');
    const kind = dictColumn(t, 'kind');
    const name = dictColumn(t, 'name');
    const trainCounts = new Map<string, number>();
    for (let i = 0; i < t.numRows; i++) {
      if (kind.values[kind.codes[i]!] !== 'syscall' || !(ts[i]! < summary.trainedUntilNs)) continue;
      const n = name.values[name.codes[i]!]!;
      trainCounts.set(n, (trainCounts.get(n) ?? 0) + 1);
    }
    // Only names called in the training span have vectors.
    expect(new Set(summary.tokens.filter((x) => x !== '<rare>'))).toEqual(new Set(trainCounts.keys()));
    for (const row of [2, trainEnd + 3, frame.tNs.length - 2]) {
      const from = frame.tNs[row]! - frame.intervalNs[row]!;
      const acc = [0, 0, 0, 0];
      let calls = 0;
      for (let i = 0; i < t.numRows; i++) {
        if (kind.values[kind.codes[i]!] !== 'syscall' || !(ts[i]! > from && ts[i]! <= frame.tNs[row]!)) continue;
        const id = summary.tokens.indexOf(name.values[name.codes[i]!]!);
        if (id < 0) continue;
        calls++;
        for (let k = 0; k < 4; k++) acc[k]! += summary.vectors[id * 4 + k]!;
      }
      for (let k = 0; k < 4; k++) expect(out.columns.get(ids[k]!)![row]).toBeCloseTo(calls ? acc[k]! / calls : 0, 4);
    }
  });
});
