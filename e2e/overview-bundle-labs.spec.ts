import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { dropFiles, expect, fixtureBytes, test, waitForIdle } from './support.ts';

// Each lab offers the bundle open in the overview ("Open in the overview") and uses it without a second read:
// the loader worker's read count stays where the overview left it, and its hits grow.

const loaderStats = async (page: Page) => (await page.evaluate(() => window.__tlab.loaderStats()))!;
const dataset = (path: string) => new Uint8Array(readFileSync(new URL(`../public/datasets/${path}`, import.meta.url)));

/** Opens `bytes` in the overview under `name` (a file name no lab lists, so no lab could read it by URL). */
async function openInOverview(page: Page, name: string, bytes: Uint8Array) {
  await page.goto('./');
  await waitForIdle(page);
  await dropFiles(page, [{ name, bytes }]);
  await expect(page.getByTestId('tables-panel')).toBeVisible({ timeout: 30_000 });
  await waitForIdle(page);
}

test('the sched lab trains on the overview’s bundle without reading it again, and says why it cannot use one without sched events', async ({ page }) => {
  test.setTimeout(240_000);
  await openInOverview(page, 'mine-hackbench.tlab', dataset('sched/hackbench-1.tlab'));
  await page.getByTestId('tab-sched').click();
  await waitForIdle(page);
  await expect(page.getByTestId('sched-overview-bundle')).toHaveAttribute('data-usable', 'yes');
  await page.getByTestId('sched-use-overview').click();
  await expect(page.getByTestId('sched-bundle-mine-hackbench.tlab')).toContainText('open in the overview');
  await expect(page.getByTestId('sched-workload-mine-hackbench.tlab')).toHaveValue('mine-hackbench');

  // Only two bundles: the overview's trains, one shipped hackbench run is the seen test.
  for (const row of await page.locator('[data-testid^="sched-role-"]').all()) await row.selectOption('unused');
  await page.getByTestId('sched-workload-mine-hackbench.tlab').fill('hackbench');
  await page.getByTestId('sched-role-mine-hackbench.tlab').selectOption('train');
  await page.getByTestId('sched-role-hackbench-3.tlab').selectOption('test-seen');
  await page.getByTestId('sched-target').selectOption('recent-pointer');
  await page.getByTestId('sched-window').fill('16');
  await page.getByTestId('sched-stride').fill('8');
  await page.getByTestId('sched-max-train').fill('500');
  await page.getByTestId('sched-max-test').fill('300');
  await page.getByTestId('sched-model-1-remove').click();
  await page.getByTestId('sched-model-0-units').fill('8');
  await page.getByTestId('sched-model-0-epochs').fill('1');
  await expect(page.getByTestId('sched-spec-error')).toHaveCount(0);
  await expect(page.getByTestId('sched-run')).toBeEnabled({ timeout: 60_000 });
  const before = await loaderStats(page);
  await page.getByTestId('sched-run').click();
  // A one-epoch run on 500 windows can end before its transient status line is polled: it is seen in the history.
  await expect(page.getByTestId('sched-history').getByTestId('history-row')).toHaveCount(1, { timeout: 90_000 });
  await waitForIdle(page);
  await expect(page.getByTestId('sched-run-failed')).toHaveCount(0);
  await expect(page.getByTestId('sched-row-LSTM')).toBeVisible();
  const after = await loaderStats(page);
  // One read: the shipped test run. The overview's bundle came from the loader's open bundles.
  expect(after.reads).toBe(before.reads + 1);
  expect(after.hits).toBeGreaterThan(before.hits);

  // A bundle with no sched table is refused at once, by name, with what the lab needs; there is nothing to click.
  await openInOverview(page, 'mine-redis.tlab', dataset('fingerprint/redis-7.tlab'));
  await page.getByTestId('tab-sched').click();
  await expect(page.getByTestId('sched-overview-bundle')).toHaveAttribute('data-usable', 'no');
  await expect(page.getByTestId('sched-overview-bundle-problem')).toContainText('mine-redis.tlab has no sched table');
  await expect(page.getByTestId('sched-use-overview')).toHaveCount(0);
});

test('the verified lab lists the overview’s tlab bench bundle without reading it again', async ({ page }) => {
  test.setTimeout(120_000);
  await openInOverview(page, 'mine-redis-bench.tlab', dataset('verified/redis.tlab'));
  await page.getByTestId('tab-verified').click();
  await expect(page.getByTestId('verified-listing-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await waitForIdle(page);
  const before = await loaderStats(page);
  await expect(page.getByTestId('verified-overview-bundle')).toHaveAttribute('data-usable', 'yes');
  await page.getByTestId('verified-use-overview').click();
  // Only the overview's bundle: the shipped ones unticked, so any read would be of it.
  await page.getByTestId('verified-use-nginx.tlab').uncheck();
  await page.getByTestId('verified-use-redis.tlab').uncheck();
  await expect(page.getByTestId('verified-use-mine-redis-bench.tlab')).toBeChecked();
  await expect(page.getByTestId('verified-listing-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('verified-listing-status')).toContainText('intervals');
  await waitForIdle(page);
  const after = await loaderStats(page);
  expect(after.reads).toBe(before.reads);
  expect(after.hits).toBeGreaterThan(before.hits);

  // A bundle without latency is said to be unusable here, at once.
  await openInOverview(page, 'mine-hackbench.tlab', dataset('sched/hackbench-1.tlab'));
  await page.getByTestId('tab-verified').click();
  await expect(page.getByTestId('verified-overview-bundle-problem')).toContainText('mine-hackbench.tlab has no latency table');
});

test('the verified lab takes any file dropped on it, read by its worker, and refuses at once one without latency', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./?lab=verified');
  await expect(page.getByTestId('verified-listing-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await dropFiles(page, [
    { name: 'bench-copy.tlab', bytes: dataset('verified/nginx.tlab') },
    { name: 'switches.txt', bytes: fixtureBytes('ftrace/trace-cmd-report-hackbench.txt') },
  ]);
  await expect(page.getByTestId('verified-use-bench-copy.tlab')).toBeChecked({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'switches.txt has no latency table' })).toBeVisible();
  await expect(page.getByTestId('verified-use-switches.txt')).toHaveCount(0);
  await expect(page.getByTestId('verified-listing-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
});

test('the fingerprint lab previews the overview’s bundle as a run of its own without reading it again', async ({ page }) => {
  test.setTimeout(120_000);
  await openInOverview(page, 'mine-compile.tlab', dataset('fingerprint/compile-3.tlab'));
  await page.getByTestId('tab-fingerprint').click();
  await expect(page.getByTestId('fingerprint-preview-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await waitForIdle(page);
  const before = await loaderStats(page);
  await page.getByTestId('fingerprint-use-overview').click();
  await expect(page.getByTestId('fingerprint-extra-run')).toHaveCount(1);
  await expect(page.getByTestId('fingerprint-preview-run')).toHaveValue('mine-compile.tlab');
  await expect(page.getByTestId('fingerprint-preview-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await waitForIdle(page);
  await expect(page.getByTestId('fingerprint-preview-series')).not.toHaveValue('');
  const after = await loaderStats(page);
  expect(after.reads).toBe(before.reads);
  expect(after.hits).toBeGreaterThan(before.hits);
});
