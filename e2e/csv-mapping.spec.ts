import { chartData, dropFile, expect, fixtureBytes, test, waitForIdle } from './support.ts';

/** Series names ("event (scope)") of every counters chart on the page (one chart per unit). */
async function counterSeries(page: import('@playwright/test').Page): Promise<string[]> {
  const ids = (await page.evaluate(() => window.__tlab.chartIds())).filter((id) => id.startsWith('counters'));
  const names: string[] = [];
  for (const id of ids) for (const s of (await chartData(page, id)) ?? []) names.push(s.name);
  return names.sort();
}

/** The x values (s) of the first counters chart's first series. */
async function lastCounterTimes(page: import('@playwright/test').Page): Promise<number[]> {
  const id = (await page.evaluate(() => window.__tlab.chartIds())).find((i) => i.startsWith('counters'))!;
  const points = (await chartData(page, id))![0]!.data;
  const xs = points.map((p) => (Array.isArray(p) ? Number(p[0]) : Number.NaN)).filter(Number.isFinite);
  expect(xs.length).toBeGreaterThan(0);
  return xs;
}

// Issue 12: a dropped time-series CSV gets a column mapping (time column, unit, series) that imports it again
// with the csv-series importer's options, as tlab import --time --unit --series does.
test('a dropped CSV can be imported again with the columns chosen in the mapping', async ({ page }) => {
  await page.goto('/');
  await waitForIdle(page);
  // A real public dataset's layout (Azure VM CPU readings, fixtures/SOURCES.md): timestamp, cpu_usage, assigned_mem.
  await dropFile(page, 'azure.csv', fixtureBytes('csv/azure-v2-vm-cpu-readings-aggregated-first200.csv'));
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('csv');
  // Detected: seconds (200 readings 300 s apart).
  expect(Math.max(...(await lastCounterTimes(page)))).toBeGreaterThan(59_000);
  const mapping = page.getByTestId('csv-mapping');
  await expect(mapping).toBeVisible();
  await expect(page.getByTestId('csv-time')).toHaveValue('timestamp');
  expect(await counterSeries(page)).toEqual(['assigned_mem (csv)', 'cpu_usage (csv)']);

  await page.getByTestId('csv-series-assigned_mem').uncheck();
  await page.getByTestId('csv-unit').selectOption('ms');
  await page.getByTestId('csv-apply').click();
  await waitForIdle(page);
  expect(await counterSeries(page)).toEqual(['cpu_usage (csv)']);
  // The same 200 readings 300 units apart: read as ms, the capture spans 59.7 s instead of 59,700 s.
  await expect(page.getByTestId('imported-notice')).toContainText('csv');
  expect(Math.max(...(await lastCounterTimes(page)))).toBeLessThan(60);
});

// A public dataset published with no time column (Alibaba's 2018 machine usage, one row per 300 s): refused with
// what to do, then imported with "none: rows evenly spaced" and the spacing, as tlab import --interval 300 does.
test('a dropped CSV with no time column is refused in words, then imported with its rows evenly spaced', async ({ page }) => {
  await page.goto('/');
  await waitForIdle(page);
  await dropFile(page, 'alibaba.csv', fixtureBytes('csv/alibaba2018-machine-usage-day1-300s.csv'));
  await waitForIdle(page);
  await expect(page.getByTestId('load-error')).toContainText('no time column');
  await expect(page.getByTestId('load-error')).toContainText('--interval');
  await page.getByTestId('csv-time').selectOption('');
  await page.getByTestId('csv-interval').fill('300');
  await page.getByTestId('csv-apply').click();
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('csv');
  expect(await counterSeries(page)).toEqual(['cpu_util_percent (csv)', 'disk_io_percent (csv)', 'mem_util_percent (csv)', 'net_in (csv)', 'net_out (csv)']);
  // 289 rows 300 s apart: the last at 86,400 s.
  expect(Math.max(...(await lastCounterTimes(page)))).toBe(288 * 300);
});
