import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSource } from '../importers/open-source.ts';
import type { Bundle } from '../bundle/reader.ts';
import { buildSeries, listSeries } from './series.ts';
import { runForecastExperiment } from './experiment.ts';
import { ForecastSpec } from './spec.ts';

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));

async function imported(path: string): Promise<Bundle> {
  const r = await openSource(path.split('/').pop()!, fixture(path));
  if (!r.ok) throw new Error(`${path}: ${JSON.stringify(r.error)}`);
  return r.bundle;
}

/** The CSV's rows as numbers, by column name (a plain comma split: these fixtures quote nothing). */
function csvColumns(path: string): Map<string, number[]> {
  const [header, ...lines] = new TextDecoder().decode(fixture(path)).trim().split('\n');
  const names = header!.split(',');
  const out = new Map(names.map((n) => [n, [] as number[]]));
  for (const line of lines) line.split(',').forEach((v, i) => out.get(names[i]!)!.push(Number(v)));
  return out;
}

describe('forecast series of an imported time series (no samples table)', () => {
  it('puts the Azure VM CPU readings on a grid of their own times, values as read', async () => {
    const path = 'csv/azure-v2-vm-cpu-readings-aggregated-first200.csv';
    const bundle = await imported(path);
    expect(bundle.tables.samples).toBeUndefined();
    const csv = csvColumns(path);
    const infos = listSeries(bundle);
    const cpu = infos.find((s) => s.id.startsWith('counter:cpu_usage'));
    const mem = infos.find((s) => s.id.startsWith('counter:assigned_mem'));
    expect(cpu, JSON.stringify(infos)).toBeDefined();
    expect(mem).toBeDefined();
    // A reading stays a level in its own unit, never a rate per second.
    expect(cpu!.unit.endsWith('/s')).toBe(false);
    expect(cpu!.coverage).toBe(1);
    const frame = buildSeries(bundle, [cpu!.id, mem!.id]);
    expect(frame.tNs.length).toBe(csv.get('timestamp')!.length);
    // 300 s between readings: the grid keeps the CSV's step.
    expect(frame.intervalS).toBe(300);
    expect(Array.from(frame.tNs, (t, i) => t - frame.tNs[0]!)).toEqual(csv.get('timestamp')!.map((t) => (t - csv.get('timestamp')![0]!) * 1e9));
    expect(Array.from(frame.columns.get(cpu!.id)!)).toEqual(csv.get('cpu_usage')!.map((v) => Math.fround(v)));
    expect(Array.from(frame.columns.get(mem!.id)!)).toEqual(csv.get('assigned_mem')!.map((v) => Math.fround(v)));
  });

  it('keeps sadf percentages as readings in %', async () => {
    const bundle = await imported('csv/sadf-d-cpu.csv');
    const user = listSeries(bundle).find((s) => s.name.startsWith('%user'));
    expect(user, JSON.stringify(listSeries(bundle))).toBeDefined();
    expect(user!.unit).toBe('%');
    const frame = buildSeries(bundle, [user!.id]);
    // The first four data lines of the fixture.
    expect(Array.from(frame.columns.get(user!.id)!).slice(0, 4)).toEqual([75.76, 99.5, 100, 59.8].map((v) => Math.fround(v)));
  });

  it('runs the lab on it: every cell scored, the memory input only in the second input set', async () => {
    const bundle = await imported('csv/azure-v2-vm-cpu-readings-aggregated-first200.csv');
    const target = listSeries(bundle).find((s) => s.id.startsWith('counter:cpu_usage'))!.id;
    const spec = ForecastSpec.parse({
      lab: 'forecast',
      bundle: { path: 'azure.tlab' },
      target,
      inputSets: [{ name: 'own history', families: [] }, { name: '+ memory', families: ['counters'] }],
      horizons: [1, 4],
      histories: [4],
      models: ['persistence', 'ridge'],
    });
    const results = await runForecastExperiment(spec, bundle, { backend: 'cpu' });
    expect(results.skipped).toEqual([]);
    // persistence under the first set only; ridge under both; two horizons each.
    expect(results.rows.map((r) => `${r.model}/${r.inputs}/${r.horizon}`).sort()).toEqual(
      ['persistence/own history/1', 'persistence/own history/4', 'ridge/+ memory/1', 'ridge/+ memory/4', 'ridge/own history/1', 'ridge/own history/4'].sort(),
    );
    for (const r of results.rows) expect(Number.isFinite(r.rmse) && r.rmse > 0, JSON.stringify(r)).toBe(true);
    expect(results.inputSets.find((s) => s.name === '+ memory')!.seriesIds.some((id) => id.startsWith('counter:assigned_mem'))).toBe(true);
  });
});
