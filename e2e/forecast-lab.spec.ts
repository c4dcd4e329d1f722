import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { Page } from '@playwright/test';
import { runForecastExperiment } from '../core/forecast/experiment.ts';
import { applySavedForecaster, parseSavedForecaster } from '../core/forecast/saved-model.ts';
import { buildSeries } from '../core/forecast/series.ts';
import { parseForecastSpec } from '../core/forecast/spec.ts';
import { SCREENSHOTS, chartData, demoBytes, dropFiles, expect, fixtureBytes, readInNode, test, waitForIdle } from './support.ts';

const BUNDLE = 'compression.tlab';
const HORIZONS = [1, 2];
const HISTORIES = [2, 4];
const SETS = ['usage', 'usage+syscall-counts'];
// Persistence and moving average read only the target's history: they run once, under the first input set.
const EXPECTED = [
  ...['persistence', 'moving-average'].map((model) => ({ model, inputs: 'usage' })),
  ...['ridge', 'TCN'].flatMap((model) => SETS.map((inputs) => ({ model, inputs }))),
].flatMap((m) => HORIZONS.flatMap((horizon) => HISTORIES.map((history) => ({ ...m, horizon, history }))));

interface RowData {
  model: string;
  inputs: string;
  horizon: number;
  history: number;
  rmse: number;
  skill: number | null;
}

async function tableRows(page: Page): Promise<RowData[]> {
  return page.getByTestId('forecast-row').evaluateAll((trs) =>
    trs.map((tr) => {
      const d = (tr as HTMLElement).dataset;
      return {
        model: d.model!,
        inputs: d.inputs!,
        horizon: Number(d.horizon),
        history: Number(d.history),
        rmse: d.rmse === '' ? Number.NaN : Number(d.rmse),
        skill: d.skill === '' || d.skill === undefined ? null : Number(d.skill),
      };
    }),
  );
}

test('runs a small forecast sweep in the browser and the table matches the core in Node', async ({ page }) => {
  // The sweep, then keeping a trained model, a reload and applying it.
  test.setTimeout(180_000);
  const t0 = Date.now();
  // ?bundle= opens the lab on a bundle, so the page does not first read another one.
  await page.goto(`./?lab=forecast&bundle=${BUNDLE}`);
  await expect(page.getByTestId('tab-forecast')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('forecast-bundle')).toHaveValue(BUNDLE);
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('forecast-target')).toHaveValue('group:cpu');

  // A spec the core rejects is said in words, and cannot be run.
  await page.getByTestId('forecast-horizons').fill('1, x');
  await expect(page.getByTestId('forecast-spec-error')).toContainText('horizons');
  await expect(page.getByTestId('forecast-run')).toBeDisabled();

  // The small sweep: 2 horizons × 2 histories, persistence, moving average, ridge and a 5-epoch TCN, with and without syscall counts.
  await page.getByTestId('forecast-horizons').fill(HORIZONS.join(', '));
  await page.getByTestId('forecast-histories').fill(HISTORIES.join(', '));
  for (const id of ['usage+syscall-embedding', 'usage+syscall-counts']) {
    const box = page.getByTestId(`forecast-inputs-${id}`);
    if ((await box.isChecked()) !== SETS.includes(id)) await box.click();
  }
  for (const m of ['persistence', 'moving-average', 'ridge', 'random-forest', 'lstm', 'tcn']) {
    const box = page.getByTestId(`forecast-model-${m}`);
    const want = ['persistence', 'moving-average', 'ridge', 'tcn'].includes(m);
    if ((await box.isChecked()) !== want) await box.click();
  }
  await page.getByTestId('forecast-tcn-epochs').fill('5');
  await expect(page.getByTestId('forecast-spec-error')).toHaveCount(0);
  await expect(page.getByTestId('forecast-run')).toBeEnabled({ timeout: 60_000 });
  const waitedS = (Date.now() - t0) / 1000;

  // Cancel stops a run in words, and the lab can run again. The small sweep takes about a second on the engine, so
  // the run to cancel also trains syscall embeddings (seconds), which is still going when Cancel is clicked.
  const embeddingBox = page.getByTestId('forecast-inputs-usage+syscall-embedding');
  const withEmbedding = await embeddingBox.isChecked();
  if (!withEmbedding) await embeddingBox.click();
  await page.getByTestId('forecast-run').click();
  await page.getByTestId('forecast-cancel').click();
  await expect(page.getByTestId('forecast-run-failed')).toContainText('cancelled');
  await expect(page.getByTestId('forecast-run')).toBeEnabled();
  if (!withEmbedding) await embeddingBox.click();

  const tRun = Date.now();
  await page.getByTestId('forecast-run').click();
  await expect(page.getByTestId('forecast-run-status')).toBeVisible();
  await waitForIdle(page);
  await expect(page.getByTestId('forecast-run-failed')).toHaveCount(0);
  await expect(page.getByTestId('forecast-run-status')).toHaveCount(0);
  const runS = (Date.now() - tRun) / 1000;

  // Every (model, inputs, horizon, history) row, once, with a finite RMSE.
  const rows = await tableRows(page);
  const key = (r: { model: string; inputs: string; horizon: number; history: number }) => `${r.model}|${r.inputs}|${r.horizon}|${r.history}`;
  expect(rows.map(key).sort()).toEqual(EXPECTED.map(key).sort());
  for (const r of rows) expect(Number.isFinite(r.rmse), key(r)).toBe(true);
  // Skill is against persistence, which therefore has skill 0.
  for (const r of rows.filter((x) => x.model === 'persistence')) expect(r.skill).toBe(0);

  // Persistence at horizon 1, from the same bundle and the same core code in this (Node) process.
  const bundle = await readInNode(demoBytes(BUNDLE));
  const spec = parseForecastSpec({ lab: 'forecast', bundle: { path: BUNDLE }, horizons: HORIZONS, histories: HISTORIES, models: ['persistence'], inputSets: [{ name: 'usage', families: ['usage'] }] });
  const node = await runForecastExperiment(spec, bundle, { backend: 'node' });
  for (const k of HISTORIES) {
    const want = node.rows.find((r) => r.model === 'persistence' && r.horizon === 1 && r.history === k)!;
    const got = rows.find((r) => r.model === 'persistence' && r.horizon === 1 && r.history === k)!;
    expect(got.rmse).toBe(want.rmse);
  }

  // The heatmap holds one cell per horizon × history, each the table's RMSE.
  const heat = (await chartData(page, 'forecast-heatmap'))!;
  expect(heat).toHaveLength(1);
  expect(heat[0]!.type).toBe('heatmap');
  expect(heat[0]!.categories).toEqual(HISTORIES.map(String));
  const cells = heat[0]!.data as [number, number, number][];
  expect(cells).toHaveLength(HORIZONS.length * HISTORIES.length);
  expect(new Set(cells.map(([x, y]) => `${x},${y}`)).size).toBe(cells.length);
  const viewModel = await page.getByTestId('forecast-view-model').inputValue();
  const viewInputs = await page.getByTestId('forecast-view-inputs').inputValue();
  for (const [x, y, v] of cells) {
    const r = rows.find((q) => q.model === viewModel && q.inputs === viewInputs && q.horizon === HORIZONS[y] && q.history === HISTORIES[x])!;
    expect(v).toBe(r.rmse);
  }

  // Figure 2: a line per history, and the baselines on the same axes; the ablation: a bar series per input set.
  const curves = (await chartData(page, 'forecast-horizon'))!;
  expect(curves.map((s) => s.name)).toEqual([...HISTORIES.map((k) => `${viewModel === 'TCN' ? 'TCN' : viewModel} k=${k}`), 'persistence', 'moving average (k chosen on validation)']);
  for (const s of curves) expect(s.data).toHaveLength(HORIZONS.length);
  const ablation = (await chartData(page, 'forecast-ablation'))!;
  expect(ablation.map((s) => s.name)).toEqual(SETS);
  expect(ablation[0]!.categories).toHaveLength(2 * HORIZONS.length);
  const predictions = (await chartData(page, 'forecast-predictions'))!;
  // The core keeps the predictions of the last input set's grid, which the input-blind baselines do not run in.
  expect(predictions.map((s) => s.name)).toEqual(['actual', 'persistence', 'moving average', 'ridge', 'TCN']);
  expect(predictions[0]!.data.length).toBeGreaterThan(5);

  // Loss per epoch of the TCN at the kept cell (at most the 5 epochs asked for), and the trained TCN as a file.
  const loss = (await chartData(page, 'forecast-loss'))!;
  expect(loss.map((s) => s.name)).toEqual(['TCN train', 'TCN validation']);
  for (const s of loss) {
    expect(s.data.length).toBeGreaterThan(0);
    expect(s.data.length).toBeLessThanOrEqual(5);
  }
  const [modelDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('forecast-save-TCN').click()]);
  const saved = parseSavedForecaster(JSON.parse(readFileSync((await modelDownload.path())!, 'utf8')));
  expect(saved.model).toBe('TCN');
  expect([saved.layout.horizon, saved.layout.history]).toEqual([HORIZONS[0], HISTORIES.at(-1)]);
  expect(saved.metrics.rmse).toBe(rows.find((r) => r.model === 'TCN' && r.inputs === SETS.at(-1) && r.horizon === HORIZONS[0] && r.history === HISTORIES.at(-1))!.rmse);

  // The heatmap follows the model chosen above it.
  await page.getByTestId('forecast-view-model').selectOption('persistence');
  await waitForIdle(page);
  const persistenceCells = (await chartData(page, 'forecast-heatmap'))![0]!.data as [number, number, number][];
  const p1 = persistenceCells.find(([x, y]) => y === 0 && x === 0)!;
  expect(p1[2]).toBe(rows.find((r) => r.model === 'persistence' && r.horizon === 1 && r.history === HISTORIES[0])!.rmse);

  // The CSV has a line per row; the spec export replays with tlab run (it parses as a forecast spec).
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('forecast-export-csv').click()]);
  const csv = readFileSync((await csvDownload.path())!, 'utf8').trim().split('\n');
  expect(csv[0]).toBe('model,inputs,horizon,history,n,rmse,mae,val_rmse,skill,target,bundle,seed,backend');
  expect(csv.length - 1).toBe(EXPECTED.length);
  // The probe measured the engine fastest on this CPU-only machine, so the lab trained on it.
  for (const line of csv.slice(1)) expect(line.split(',').at(-1)).toBe('engine · wasm-relaxed-simd');
  const [specDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('forecast-export-spec').click()]);
  const exported = parseForecastSpec(JSON.parse(readFileSync((await specDownload.path())!, 'utf8')));
  expect(exported.bundle.path).toBe(BUNDLE);
  expect(exported.horizons).toEqual(HORIZONS);
  expect(exported.models).toEqual(['persistence', 'moving-average', 'ridge', 'tcn']);
  // Replayed in this Node process, the exported spec trains the same TCNs to the same RMSEs, bit for bit: the engine's
  // kernels, its seeded initialisation and batch order are the same in Node and in Chromium's worker.
  const replay = await runForecastExperiment(exported, bundle, { backend: 'node' });
  const tcnRows = rows.filter((r) => r.model === 'TCN');
  expect(tcnRows.length).toBe(HORIZONS.length * HISTORIES.length * SETS.length);
  for (const r of tcnRows) expect(r.rmse, key(r)).toBe(replay.rows.find((q) => key(q) === key(r))!.rmse);

  // Sorting the table by test RMSE puts the rows in order.
  await page.getByTestId('forecast-sort-rmse').click();
  const sorted = (await tableRows(page)).map((r) => r.rmse);
  expect(sorted).toEqual([...sorted].sort((a, b) => a - b));

  await page.screenshot({ path: `${SCREENSHOTS}forecast-lab.png`, fullPage: true });

  // Keep the trained TCN in the browser (IndexedDB); after a reload it is still listed.
  await expect(page.getByTestId('saved-empty')).toBeVisible();
  await page.getByTestId('forecast-keep-TCN').click();
  await waitForIdle(page);
  await expect(page.getByTestId('saved-row')).toHaveCount(1);
  await page.reload();
  await waitForIdle(page);
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready');
  const kept = page.getByTestId('saved-row');
  await expect(kept).toHaveCount(1);
  await expect(kept).toHaveAttribute('data-model', 'TCN');
  await expect(kept).toHaveAttribute('data-created', saved.createdAt);
  await expect(kept).toContainText(BUNDLE);
  await expect(kept).toContainText(`${saved.layout.horizon} / ${saved.layout.history}`);

  // Applied to the selected bundle: one prediction per full window, and the RMSE the core gives in Node on the same JSON and bundle.
  await kept.getByTestId('saved-apply').click();
  await waitForIdle(page);
  await expect(page.getByTestId('saved-apply-error')).toHaveCount(0);
  const appliedLine = page.getByTestId('saved-applied');
  await expect(appliedLine).toHaveAttribute('data-bundle', BUNDLE);
  await tf.setBackend('cpu');
  const frame = buildSeries(bundle, [...saved.layout.featureIds, saved.layout.targetId]);
  const inNode = await applySavedForecaster(saved, frame);
  const windows = frame.tNs.length - (saved.layout.horizon + saved.layout.history - 1);
  expect(inNode.predicted).toHaveLength(windows);
  const applied = (await chartData(page, 'forecast-applied'))!;
  expect(applied.map((x) => x.name)).toEqual(['actual', 'TCN predicted']);
  expect(applied[0]!.data).toHaveLength(windows);
  expect(applied[1]!.data).toHaveLength(windows);
  expect((applied[1]!.data as [number, number][]).map(([, y]) => y)).toEqual(Array.from(inNode.predicted));
  expect(Number(await appliedLine.getAttribute('data-windows'))).toBe(windows);
  expect(Number(await appliedLine.getAttribute('data-rmse'))).toBe(inNode.rmse);
  await page.getByTestId('saved-models').screenshot({ path: `${SCREENSHOTS}forecast-lab-saved-models.png` });

  // A bundle without the model's series is refused in words, naming what is missing.
  await page.getByTestId('forecast-bundle').selectOption('sysbench-cpu.tlab');
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready');
  await page.getByTestId('saved-apply').click();
  await waitForIdle(page);
  await expect(page.getByTestId('saved-apply-error')).toContainText('lacks series the model was trained on');
  await expect(page.getByTestId('saved-applied')).toHaveCount(0);

  // A malformed file is refused with the field that is wrong; the kept model stays, and Delete removes it.
  const bad = { ...saved, layout: { ...saved.layout, horizon: -1 } };
  await page.getByTestId('saved-file-input').setInputFiles({ name: 'bad-model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  await expect(page.getByTestId('saved-file-error')).toContainText('layout.horizon');
  await expect(page.getByTestId('saved-file-error')).toContainText('bad-model.json');
  await page.getByTestId('saved-file-input').setInputFiles({ name: 'notjson.json', mimeType: 'application/json', buffer: Buffer.from('{') });
  await expect(page.getByTestId('saved-file-error')).toContainText('not JSON');
  await expect(page.getByTestId('saved-row')).toHaveCount(1);
  // A good downloaded file is kept, listed next to the first.
  await page.getByTestId('saved-file-input').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(saved)) });
  await expect(page.getByTestId('saved-row')).toHaveCount(2);
  await expect(page.getByTestId('saved-file-error')).toHaveCount(0);
  await page.getByTestId('saved-row').first().getByTestId('saved-delete').click();
  await expect(page.getByTestId('saved-row')).toHaveCount(1);

  console.log(`forecast lab e2e: ${((Date.now() - t0) / 1000).toFixed(1)} s in all, ${waitedS.toFixed(1)} s until it could run, sweep ${runS.toFixed(1)} s`);
});

test('trains syscall embeddings in the worker: PCA by kind, neighbours, Projector files', async ({ page }) => {
  const t0 = Date.now();
  const lap = (what: string) => console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.goto('./?lab=forecast&bundle=sysbench-cpu.tlab');
  await waitForIdle(page);
  lap('idle');
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready');
  await page.getByTestId('embed-epochs').fill('2');
  await page.getByTestId('embed-dim').fill('8');
  await page.getByTestId('embed-train').click();
  await waitForIdle(page);
  lap('trained');
  await expect(page.getByTestId('embed-failed')).toHaveCount(0);
  const summary = page.getByTestId('embed-summary');
  await expect(summary).toHaveAttribute('data-origin', 'trained here');
  const tokens = Number(await summary.getAttribute('data-tokens'));
  expect(tokens).toBeGreaterThan(3);

  // One scatter series per syscall kind present; every call is a point.
  const scatter = (await chartData(page, 'forecast-embedding'))!;
  expect(scatter.every((s) => s.type === 'scatter')).toBe(true);
  expect(scatter.reduce((n, s) => n + s.data.length, 0)).toBe(tokens);

  // Nearest neighbours by cosine, most similar first.
  const sims = await page.getByTestId('embed-neighbour').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.similarity)));
  expect(sims.length).toBe(Math.min(10, tokens - 1));
  expect(sims).toEqual([...sims].sort((a, b) => b - a));

  const [vec] = await Promise.all([page.waitForEvent('download'), page.getByTestId('embed-export-vectors').click()]);
  const vectors = readFileSync((await vec.path())!, 'utf8').trim().split('\n');
  expect(vectors).toHaveLength(tokens);
  expect(vectors[0]!.split('\t')).toHaveLength(8);
  const [meta] = await Promise.all([page.waitForEvent('download'), page.getByTestId('embed-export-metadata').click()]);
  const metadata = readFileSync((await meta.path())!, 'utf8').trim().split('\n');
  expect(metadata[0]).toBe('name\tkind\tcount');
  expect(metadata).toHaveLength(tokens + 1);
});

test('forecasts an imported time series (Azure region CPU, a CSV): its own target and input sets, the table equal to Node', async ({ page }) => {
  test.setTimeout(120_000);
  const AZURE = 'forecast/azure-region-cpu.tlab';
  await page.goto(`./?lab=forecast&bundle=${AZURE}`);
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready');
  // No samples table: the dataset's suggested target, and the input sets an imported series can have.
  await expect(page.getByTestId('forecast-target')).toHaveValue('counter:cpu_usage@csv');
  await expect(page.getByTestId('forecast-inputs-history')).toBeChecked();
  await expect(page.getByTestId('forecast-inputs-history+counters')).toBeChecked();
  await expect(page.getByTestId('forecast-inputs-usage')).toBeDisabled();
  await page.getByTestId('forecast-horizons').fill('1, 12');
  await page.getByTestId('forecast-histories').fill('12');
  for (const m of ['persistence', 'moving-average', 'ridge', 'random-forest', 'lstm', 'tcn']) {
    const box = page.getByTestId(`forecast-model-${m}`);
    if ((await box.isChecked()) !== ['persistence', 'ridge'].includes(m)) await box.click();
  }
  await expect(page.getByTestId('forecast-run')).toBeEnabled();
  await page.getByTestId('forecast-run').click();
  await waitForIdle(page);
  await expect(page.getByTestId('forecast-run-failed')).toHaveCount(0);
  const rows = await tableRows(page);
  const bundle = await readInNode(demoBytes(AZURE));
  const spec = parseForecastSpec({
    lab: 'forecast',
    bundle: { path: AZURE },
    target: 'counter:cpu_usage@csv',
    horizons: [1, 12],
    histories: [12],
    models: ['persistence', 'ridge'],
    inputSets: [
      { name: 'history', families: [] },
      { name: 'history+counters', families: ['counters'] },
    ],
  });
  const node = await runForecastExperiment(spec, bundle, { backend: 'node' });
  const key = (r: { model: string; inputs: string; horizon: number; history: number }) => `${r.model}|${r.inputs}|${r.horizon}|${r.history}`;
  expect(rows.map(key).sort()).toEqual(node.rows.map(key).sort());
  // The same core code on two V8s: equal to a part in a billion (the RMSE is in the 1e5 range).
  for (const want of node.rows) expect(Math.abs(rows.find((r) => key(r) === key(want))!.rmse - want.rmse) / want.rmse, key(want)).toBeLessThan(1e-9);
  await page.screenshot({ path: `${SCREENSHOTS}forecast-lab-imported-csv.png`, fullPage: true });

  // A capture dropped on the lab is imported by its worker, as the overview would; a file that is none is said so.
  await dropFiles(page, [{ name: 'psi-loop.csv', bytes: fixtureBytes('csv/psi-loop.csv') }]);
  await expect(page.getByTestId('forecast-bundle')).toHaveValue('psi-loop.csv');
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('forecast-series-status')).toContainText('psi');
  await dropFiles(page, [{ name: 'notes.txt', bytes: new TextEncoder().encode('not a capture of anything\n') }]);
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'failed');
  await expect(page.getByTestId('forecast-series-status')).toContainText('notes.txt');
});
