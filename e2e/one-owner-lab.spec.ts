import { readFileSync } from 'node:fs';
import { DataType } from 'apache-arrow';
import { dictColumn, numberColumn } from '../core/bundle/columns.ts';
import { SCREENSHOTS, demoBytes, dropFiles, expect, fixtureBytes, readInNode, test, waitForIdle } from './support.ts';

const loaderStats = (page: import('@playwright/test').Page) => page.evaluate(() => window.__tlab.loaderStats());

test('a bundle dropped on the overview is read once: the lab it is dropped on next asks the loader worker for it', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await waitForIdle(page);
  // One file, dropped twice as a desktop drag of the same file would be: same name, size and modification time.
  const bytes = readFileSync(new URL('../public/datasets/fingerprint/redis-7.tlab', import.meta.url)).toString('base64');
  const dataTransfer = await page.evaluateHandle((data) => {
    const raw = atob(data);
    const buf = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([buf], 'mine-1.tlab', { type: 'application/zip', lastModified: 1_700_000_000_000 }));
    return dt;
  }, bytes);
  const drop = async () => {
    await page.dispatchEvent('body', 'dragenter', { dataTransfer });
    await page.dispatchEvent('body', 'dragover', { dataTransfer });
    await page.dispatchEvent('body', 'drop', { dataTransfer });
  };
  await drop();
  await expect(page.getByTestId('tables-panel')).toBeVisible({ timeout: 30_000 });
  await waitForIdle(page);
  const afterOverview = await loaderStats(page);
  expect(afterOverview).toMatchObject({ reads: 1, hits: 0, bundles: 1 });

  await page.getByTestId('tab-fingerprint').click();
  await expect(page.getByTestId('fingerprint-preview-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await waitForIdle(page);
  // The lab's own first preview reads a shipped run: one read more, from the loader worker as well.
  const afterLab = (await loaderStats(page))!;
  expect(afterLab.reads).toBe(2);

  await drop();
  await expect(page.getByTestId('fingerprint-extra-run')).toHaveCount(1);
  await page.getByTestId('fingerprint-preview-run').selectOption('mine-1.tlab');
  await expect(page.getByTestId('fingerprint-preview-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await waitForIdle(page);
  const afterMine = (await loaderStats(page))!;
  // The dropped file came from the bundle the overview has open: no read, one answer from the open bundle.
  expect(afterMine.reads).toBe(2);
  expect(afterMine.hits).toBe(afterLab.hits + 1);
  // And the preview is of that bundle: its series (redis) are there.
  await expect(page.getByTestId('fingerprint-preview-series')).not.toHaveValue('');
});

test('the forecast lab offers the capture open in the overview and forecasts it without reading it again', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./');
  await waitForIdle(page);
  await dropFiles(page, [{ name: 'azure-first200.csv', bytes: fixtureBytes('csv/azure-v2-vm-cpu-readings-aggregated-first200.csv') }]);
  await expect(page.getByTestId('tables-panel')).toBeVisible({ timeout: 30_000 });
  await waitForIdle(page);
  const before = (await loaderStats(page))!;
  await page.getByTestId('tab-forecast').click();
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await page.getByTestId('forecast-bundle').selectOption('azure-first200.csv');
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('forecast-series-status')).toContainText('200');
  await expect(page.getByTestId('forecast-target').locator('option[value="counter:cpu_usage@csv"]')).toHaveCount(1);
  await waitForIdle(page);
  const after = (await loaderStats(page))!;
  // The lab's shipped default was read once; the capture open in the overview was answered by the loader, not read.
  expect(after.reads).toBe(before.reads + 1);
  expect(after.hits).toBeGreaterThan(before.hits);
});

test('the tables panel pages through messaging.tlab’s 663,840 sched rows, equal to a plain read', async ({ page }) => {
  test.setTimeout(120_000);
  const bundle = await readInNode(demoBytes('messaging.tlab'));
  const sched = bundle.tables.sched!;
  const cell = (name: string) => {
    const f = sched.schema.fields.find((x) => x.name === name)!;
    if (DataType.isDictionary(f.type)) {
      const { codes, values } = dictColumn(sched, name);
      return (i: number) => (codes[i]! < 0 ? 'null' : values[codes[i]!]!);
    }
    const x = numberColumn(sched, name);
    return (i: number) => (Number.isNaN(x[i]!) ? 'null' : String(x[i]!));
  };
  const columns = sched.schema.fields.map((f) => f.name);
  const cells = columns.map(cell);
  const expectRows = async (from: number, count: number) => {
    const shown = await page.locator('[data-testid="table-view"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(1).map((td) => td.textContent)));
    expect(shown.length).toBe(count);
    expect(shown).toEqual(Array.from({ length: count }, (_, k) => cells.map((c) => c(from + k))));
  };

  for (const [w, h] of [
    [1440, 900],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('./?demo=messaging.tlab');
    await waitForIdle(page);
    await page.getByTestId('view-sched').click();
    await waitForIdle(page);
    await expect(page.getByTestId('table-view-range')).toHaveText('rows 1–50 of 663,840');
    await expectRows(0, 50);
    await page.getByTestId('table-view-next').click();
    await waitForIdle(page);
    await expect(page.getByTestId('table-view-range')).toHaveText('rows 51–100 of 663,840');
    await expectRows(50, 50);
    // The last page is partial: 663,840 = 13,276 × 50 + 40.
    const t0 = Date.now();
    await page.getByTestId('table-view-last').click();
    await waitForIdle(page);
    await expect(page.getByTestId('table-view-range')).toHaveText('rows 663,801–663,840 of 663,840');
    await expectRows(663_800, 40);
    expect(Date.now() - t0).toBeLessThan(5_000);
    await page.getByTestId('table-view-goto').fill('333,334');
    await page.getByTestId('table-view-goto').press('Enter');
    await waitForIdle(page);
    await expectRows(333_333, 50);
    if (w === 1440) {
      // A filter on one column: the rows whose next task is a swapper (idle), counted as Node counts them.
      const next = dictColumn(sched, 'next_comm');
      let n = 0;
      for (const c of next.codes) if (c >= 0 && next.values[c]!.toLowerCase().includes('swapper')) n++;
      await page.getByTestId('table-view-filter-column').selectOption('next_comm');
      await page.getByTestId('table-view-filter').fill('swapper');
      await page.getByTestId('table-view-filter').press('Enter');
      await waitForIdle(page);
      await expect(page.getByTestId('table-view-range')).toHaveText(`rows 1–50 of ${n.toLocaleString('en-US')} matching (663,840 in all)`);
      await page.getByTestId('table-view-filter').fill('');
      await page.getByTestId('table-view-filter').press('Enter');
      await waitForIdle(page);
    }
    await page.getByTestId('table-view').scrollIntoViewIfNeeded();
    // No sideways scroll of the page: the rows scroll inside their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
    await page.getByTestId('table-view').screenshot({ path: `${SCREENSHOTS}table-view-${w}.png` });
  }
});
