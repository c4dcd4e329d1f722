import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../bundle/reader.ts';
import { buildSeries } from '../forecast/series.ts';
import { usageColumns } from '../overview/usage.ts';

const load = async (file: string) => {
  const r = await readBundle(new Uint8Array(readFileSync(new URL(`../../public/datasets/${file}`, import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  return r.bundle;
};

describe.each(['forecast/phases.tlab', 'compression.tlab', 'messaging.tlab'])('group CPU of %s', (file) => {
  it('is the same series in the overview’s CPU chart and the forecast lab’s target', async () => {
    const bundle = await load(file);
    const startNs = bundle.manifest.workload.startNs;
    const overview = usageColumns(bundle.tables.samples!, startNs).cpu.find((s) => s.id === 'cpu:group')!;
    const forecast = buildSeries(bundle, ['group:cpu']);
    const target = forecast.columns.get('group:cpu')!;
    expect(overview.x.length).toBe(target.length);
    expect(overview.x.length).toBeGreaterThan(20);
    for (let i = 0; i < target.length; i++) {
      expect(overview.x[i]).toBeCloseTo((forecast.tNs[i]! - startNs) / 1e9, 9);
      // The lab keeps Float32 and fills a missing reading forward; the shipped bundles have none missing.
      expect(Number.isFinite(overview.y[i]!)).toBe(true);
      expect(target[i]).toBe(Math.fround(overview.y[i]!));
    }
  });
});
