import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { BASELINE_NAMES } from '../core/sched-lab/baselines.ts';
import { METRIC_DIFFERENCES } from '../core/sched-lab/seed-comparison.ts';
import { SCREENSHOTS, chartData, dropFiles, expect, fixtureBytes, test, waitForIdle } from './support.ts';

interface SuggestedSpec {
  bundles: { path: string; workload: string; role: string }[];
}
const suggested = JSON.parse(readFileSync(new URL('../public/datasets/sched/spec.json', import.meta.url), 'utf8')) as SuggestedSpec;

const num = async (page: Page, testId: string, attr: string) => Number(await page.getByTestId(testId).getAttribute(attr));

test('the lab opens from its URL, and the tabs keep the URL in step', async ({ page }) => {
  await page.goto('./?lab=sched');
  await expect(page.getByTestId('tab-sched')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('sched-lab')).toBeVisible();
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('welcome')).toBeVisible();
  expect(new URL(page.url()).searchParams.has('lab')).toBe(false);
  await page.goBack();
  await expect(page.getByTestId('sched-lab')).toBeVisible();

  // Files dropped on the lab become its bundles (not the overview's), with a workload label to edit: a bundle, and
  // a trace-cmd text capture (imported by the worker); a file that is no capture, and a capture without sched
  // events, are refused at once by name.
  const bytes = new Uint8Array(readFileSync(new URL(`../public/datasets/sched/${suggested.bundles[0]!.path}`, import.meta.url)));
  await dropFiles(page, [
    { name: 'my-run-7.tlab', bytes },
    { name: 'hackbench-report.txt', bytes: fixtureBytes('ftrace/trace-cmd-report-hackbench.txt') },
    { name: 'notes.txt', bytes: new TextEncoder().encode('not a bundle') },
    { name: 'azure.csv', bytes: fixtureBytes('csv/azure-v2-vm-cpu-readings-aggregated-first200.csv') },
  ]);
  await expect(page.getByTestId('sched-workload-my-run-7.tlab')).toHaveValue('my-run');
  await expect(page.getByTestId('sched-role-my-run-7.tlab')).toHaveValue('unused');
  await expect(page.getByTestId('sched-workload-hackbench-report.txt')).toHaveValue('hackbench-report');
  const refusal = page.getByRole('status').filter({ hasText: 'notes.txt' });
  await expect(refusal).toBeVisible({ timeout: 30_000 });
  await expect(refusal).toContainText('azure.csv has no sched table: this lab needs sched_switch events');
  await expect(page.getByTestId('sched-workload-notes.txt')).toHaveCount(0);
  await expect(page.getByTestId('sched-workload-azure.csv')).toHaveCount(0);
  await expect(page.getByTestId('sched-lab')).toBeVisible();

  // The parameter is user input: an unknown lab is said in words and the overview is shown.
  await page.goto('./?lab=%3Cscript%3E');
  await expect(page.getByTestId('welcome')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'No lab named "<script>"' })).toBeVisible();
});

test('trains a small model in the browser that beats the most-frequent baseline', async ({ page }) => {
  const t0 = Date.now();
  await page.goto('./?lab=sched');
  await waitForIdle(page);

  // Roles start as the datasets folder's spec.json suggests.
  for (const b of suggested.bundles) await expect(page.getByTestId(`sched-role-${b.path}`)).toHaveValue(b.role);

  // A spec the core rejects is shown in its words, and cannot be run.
  await page.getByTestId('sched-window').fill('1');
  await expect(page.getByTestId('sched-spec-error')).toContainText('invalid scheduling-lab spec at window');
  await expect(page.getByTestId('sched-run')).toBeDisabled();

  // Small enough for a 2-core machine: one small LSTM, the pointer target (the class target is ~98% one class here).
  await page.getByTestId('sched-target').selectOption('recent-pointer');
  await page.getByTestId('sched-window').fill('16');
  await page.getByTestId('sched-stride').fill('8');
  await page.getByTestId('sched-max-train').fill('2000');
  await page.getByTestId('sched-max-test').fill('1000');
  await page.getByTestId('sched-validation').fill('0.1');
  await page.getByTestId('sched-model-1-remove').click(); // the TCN
  await page.getByTestId('sched-model-0-units').fill('16');
  await page.getByTestId('sched-model-0-epochs').fill('2');
  await expect(page.getByTestId('sched-spec-error')).toHaveCount(0);

  // The run waits for the app's backend choice (the probe starts when the lab opens).
  await expect(page.getByTestId('sched-run')).toBeEnabled({ timeout: 60_000 });
  const waitedS = (Date.now() - t0) / 1000;

  // Cancel stops a run in words and the lab can run again.
  await page.getByTestId('sched-run').click();
  await page.getByTestId('sched-cancel').click();
  await expect(page.getByTestId('sched-run-failed')).toContainText('cancelled');
  await expect(page.getByTestId('sched-run')).toBeEnabled();

  const tRun = Date.now();
  await page.getByTestId('sched-run').click();
  await expect(page.getByTestId('sched-run-status')).toBeVisible();
  await waitForIdle(page);
  await expect(page.getByTestId('sched-run-failed')).toHaveCount(0);
  await expect(page.getByTestId('sched-run-status')).toHaveCount(0);
  const runS = (Date.now() - tRun) / 1000;

  for (const name of BASELINE_NAMES) {
    await expect(page.getByTestId(`sched-row-${name}`)).toHaveAttribute('data-kind', 'baseline');
  }
  const model = await num(page, 'sched-row-LSTM', 'data-seen-top1');
  const mostFrequent = await num(page, 'sched-row-most-frequent', 'data-seen-top1');
  expect(await num(page, 'sched-row-LSTM', 'data-seen-n')).toBeGreaterThan(0);
  expect(model).toBeGreaterThan(mostFrequent);

  // The seed comparison: their reported figures beside ours, and every way the metrics differ.
  const seed = page.getByTestId('sched-seed-comparison');
  await expect(seed).toBeVisible();
  await expect(seed.getByTestId('seed-seen')).toContainText('91.7%');
  await expect(seed.getByTestId('seed-unseen')).toContainText('98.5%');
  for (const d of METRIC_DIFFERENCES) await expect(seed.getByTestId(`seed-difference-${d.aspect}`)).toContainText(d.ours);

  // The charts hold what was computed: a confusion matrix with class names, a train and a validation loss line.
  const confusion = (await chartData(page, 'sched-confusion'))!;
  expect(confusion[0]!.type).toBe('heatmap');
  // Pointer classes by name (the confusion shows the most common true classes, then "rest").
  expect(confusion[0]!.categories!.at(-1)).toBe('rest');
  for (const c of confusion[0]!.categories!) expect(c).toMatch(/^(same task again|\d\w\w most recent|none of the last \d+|rest)$/);
  const loss = (await chartData(page, 'sched-loss'))!;
  expect(loss.map((s) => s.name)).toEqual(['LSTM train', 'LSTM validation']);
  // Per-event latency is measured (a browser's coarse timer can make p50 read 0 µs; the mean cannot be 0).
  expect(Number(await page.getByTestId('sched-inference-LSTM').getAttribute('data-mean-us'))).toBeGreaterThan(0);
  expect(Number(await page.getByTestId('sched-inference-LSTM').getAttribute('data-events-per-second'))).toBeGreaterThan(0);

  // The CSV has one line per baseline/model × role × workload (plus one per role).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sched-export-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
  const testWorkloads = new Set(suggested.bundles.filter((b) => b.role !== 'train').map((b) => b.workload));
  const roles = new Set(suggested.bundles.filter((b) => b.role !== 'train').map((b) => b.role));
  expect(csv.length - 1).toBe((BASELINE_NAMES.length + 1) * (testWorkloads.size + roles.size));

  await page.screenshot({ path: `${SCREENSHOTS}sched-lab.png`, fullPage: true });
  await page.getByTestId('theme-toggle').click();
  await waitForIdle(page);
  await page.screenshot({ path: `${SCREENSHOTS}sched-lab-dark.png`, fullPage: true });
  console.log(`sched lab e2e: ${((Date.now() - t0) / 1000).toFixed(1)} s in all, ${waitedS.toFixed(1)} s until it could run, experiment ${runS.toFixed(1)} s`);
});
