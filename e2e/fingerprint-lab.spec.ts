import { readFileSync } from 'node:fs';
import { readBundle } from '../core/bundle/index.ts';
import { runFingerprintExperiment, type FingerprintResults } from '../core/fingerprint/experiment.ts';
import { parseFingerprintSpec } from '../core/fingerprint/spec.ts';
import { SCREENSHOTS, chartData, expect, test, waitForIdle } from './support.ts';

test('fingerprint lab: change points follow the form, a run gives CWD’s three tables, the same numbers as Node', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('./?lab=fingerprint');
  await expect(page.getByTestId('tab-fingerprint')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('fingerprint-sources-note')).toContainText('Hardware counters');
  await expect(page.getByTestId('fingerprint-sources-note')).toContainText('perf software events');
  await expect(page.getByTestId('fingerprint-role-nginx')).toHaveValue('unknown');

  // The change point preview: a series with change points drawn as lines, updating when the method changes.
  await expect(page.getByTestId('fingerprint-preview-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await waitForIdle(page);
  const cp = await chartData(page, 'fingerprint-changepoints');
  expect(cp?.map((s) => s.name)).toEqual(['raw', 'normalised']);
  expect(cp![0]!.data.length).toBeGreaterThan(5);
  const before = await page.getByTestId('fingerprint-preview-status').getAttribute('data-change-points');
  // z-scored, PELT with a small penalty: the compression run's CPU has phases (seq, gzip, xz, zstd).
  await page.getByTestId('fingerprint-normalisation').selectOption('zscore');
  await page.getByTestId('fingerprint-method').selectOption('pelt');
  await page.getByTestId('fingerprint-penalty').fill('2');
  await expect(page.getByTestId('fingerprint-preview-status')).not.toHaveAttribute('data-change-points', before ?? '', { timeout: 30_000 });
  await expect(page.getByTestId('fingerprint-preview-status')).toHaveAttribute('data-status', 'ready');
  await waitForIdle(page);
  const cps = (await page.getByTestId('fingerprint-preview-status').getAttribute('data-change-points'))!.split(',').filter(Boolean);
  expect(cps.length).toBeGreaterThan(0);
  await page.getByTestId('fingerprint-normalisation').selectOption('log');
  // A malformed field is said in words and the run cannot start.
  await page.getByTestId('fingerprint-phases').fill('0');
  await expect(page.getByTestId('fingerprint-spec-error')).toContainText('maxPhases');
  await expect(page.getByTestId('fingerprint-run')).toBeDisabled();
  await page.getByTestId('fingerprint-phases').fill('4');
  await page.getByTestId('fingerprint-method').selectOption('bocpd');

  // A file of one's own joins as an unknown run (here a shipped redis run under another name): it is fingerprinted,
  // placed in the known/unknown table and in the resemblance table as its own workload.
  const mine = readFileSync(new URL('../public/datasets/fingerprint/redis-7.tlab', import.meta.url));
  await page.getByTestId('fingerprint-file-input').setInputFiles({ name: 'mine-1.tlab', mimeType: 'application/zip', buffer: mine });
  await expect(page.getByTestId('fingerprint-extra-run')).toHaveCount(1);
  await expect(page.getByLabel('workload of mine-1.tlab')).toHaveValue('mine');

  // A smaller run: 6 runs per workload, 70/30 and leave-one-run-out, 20 rounds.
  await page.getByTestId('fingerprint-runs').fill('6');
  await page.getByTestId('fingerprint-rounds').fill('20');
  await page.getByTestId('fingerprint-run').click();
  await expect(page.getByTestId('fingerprint-scores')).toBeVisible({ timeout: 150_000 });
  await waitForIdle(page);
  await expect(page.getByTestId('fingerprint-run-failed')).toHaveCount(0);
  // The run is kept in the lab's history.
  await expect(page.getByTestId('fingerprint-history').getByTestId('history-row')).toHaveCount(1);

  const rows = await page.getByTestId('fingerprint-score-row').evaluateAll((trs) => trs.map((tr) => ({ ...(tr as HTMLElement).dataset })));
  expect(rows.map((r) => `${r.split}/${r.model}`)).toEqual(['70/30/gbt', '70/30/nearest', '70/30/majority', 'leave-one-run-out/gbt', 'leave-one-run-out/nearest', 'leave-one-run-out/majority']);
  const acc = (split: string, model: string) => Number(rows.find((r) => r.split === split && r.model === model)!.accuracy);
  expect(acc('leave-one-run-out', 'gbt')).toBeGreaterThan(acc('leave-one-run-out', 'majority'));
  expect(acc('leave-one-run-out', 'nearest')).toBeGreaterThan(acc('leave-one-run-out', 'majority'));

  // The similarity heatmap holds every pair of runs; the confusion matrix every known workload.
  const sim = await chartData(page, 'fingerprint-similarity');
  const results = (await page.evaluate(() => window.__tlab.labResults()))!.results as FingerprintResults;
  expect(sim![0]!.data.length).toBe(results.runs.length ** 2);
  const conf = await chartData(page, 'fingerprint-confusion');
  expect(conf![0]!.data.length).toBe(results.classes.length ** 2);
  await expect(page.getByTestId('fingerprint-resemblance-row')).toHaveCount(results.resemblance.length);
  expect(results.resemblance.map((r) => r.workload)).toContain('nginx');
  // The redis run under another name resembles redis.
  expect(results.resemblance.find((r) => r.workload === 'mine')?.gbt.redis).toBe(1);
  await expect(page.getByTestId('fingerprint-known-row')).toHaveCount(results.knownUnknown.length);
  await page.screenshot({ path: `${SCREENSHOTS}fingerprint-lab.png`, fullPage: true });
  // The Spec JSON export is the spec the run used (what `tlab run` takes).
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('fingerprint-export-spec').click()]);
  const exported = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
  expect(parseFingerprintSpec(exported)).toEqual(results.spec);

  // The same spec in Node gives the same numbers (the page's worker ran the same core runner).
  const spec = parseFingerprintSpec(results.spec);
  const inputs = [];
  for (const b of spec.bundles) {
    const file = b.path === 'mine-1.tlab' ? 'redis-7.tlab' : b.path;
    const r = await readBundle(new Uint8Array(readFileSync(new URL(`../public/datasets/fingerprint/${file}`, import.meta.url))));
    if (!r.ok) throw new Error(b.path);
    inputs.push({ ...b, bundle: r.bundle });
  }
  const node = runFingerprintExperiment(spec, inputs);
  expect(node.evaluations.map((e) => e.models.map((m) => m.scores.accuracy))).toEqual(results.evaluations.map((e) => e.models.map((m) => m.scores.accuracy)));
  // Distances agree to 1e-12 relative: Node's and Chromium's Math functions may differ in the last bit (one DTW of
  // 2,304 did, 124.60429954740208 against …209, on the day this was written).
  for (const key of ['dtw', 'euclidean'] as const)
    node.distances[key].forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - results.distances[key][i]![j]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)))));
  expect(node.runs.map((r) => r.changePoints)).toEqual(results.runs.map((r) => r.changePoints));
});
