import { readFileSync } from 'node:fs';
import { expect, test } from './support.ts';

const small = JSON.parse(readFileSync(new URL('../replays/ci/seed-lstm-figure2-small.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const link = (spec: unknown, run = true) => `./?lab=forecast&spec=${encodeURIComponent(JSON.stringify(spec))}${run ? '&run=1' : ''}`;
const waitForIdle = (page: import('@playwright/test').Page) => page.evaluate(() => window.__tlab.waitForIdle());

test('a link carries the lab\'s configuration; runs are kept, compared, reopened without training and deleted', async ({ page, context }) => {
  test.setTimeout(300_000);
  // A link with a spec opens the form with it: every field, and the bundle it names.
  await page.goto(link(small, false));
  await waitForIdle(page);
  await expect(page.getByTestId('forecast-horizons')).toHaveValue('1, 4');
  await expect(page.getByTestId('forecast-histories')).toHaveValue('2, 8');
  // Editing the form rewrites the link; the link opened elsewhere gives the same form.
  await page.getByTestId('forecast-seed').fill('5');
  await expect.poll(() => JSON.parse(new URL(page.url()).searchParams.get('spec') ?? '{}').seed).toBe(5);
  const shared = page.url();
  const other = await context.newPage();
  await other.goto(shared);
  await other.evaluate(() => window.__tlab.waitForIdle());
  await expect(other.getByTestId('forecast-seed')).toHaveValue('5');
  await expect(other.getByTestId('forecast-horizons')).toHaveValue('1, 4');
  await other.close();
  // A spec that is not one is refused in words, naming the field.
  await page.goto(link({ ...small, horizons: 'soon' }, false));
  await waitForIdle(page);
  await expect(page.getByTestId('forecast-url-spec-error')).toContainText('horizons');

  // Two runs (seeds 1 and 2), each started by its link; both are kept.
  for (const seed of [1, 2]) {
    await page.goto(link({ ...small, seed }));
    await expect(page.getByTestId('forecast-run-summary')).toBeVisible({ timeout: 120_000 });
    await waitForIdle(page);
    // run=1 leaves the link once the run has started: a reload does not train again.
    expect(new URL(page.url()).searchParams.get('run')).toBeNull();
  }
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(2);

  // Compared: persistence is the same, the LSTM (another seed) differs, and the differences are marked.
  await page.getByTestId('history-pick').nth(0).check();
  await page.getByTestId('history-pick').nth(1).check();
  const compare = page.getByTestId('history-compare');
  await expect(compare).toContainText('figures differ');
  const marked = await compare.locator('[data-testid="history-diff"]').evaluateAll((tds) => tds.map((td) => td.closest('tr')!.cells[0]!.textContent!));
  // (The seed moves the LSTM's initial weights; persistence does not depend on it.)
  expect(marked.some((k) => k.startsWith('LSTM'))).toBe(true);
  expect(marked.some((k) => k.startsWith('persistence'))).toBe(false);

  // After a reload, the history is still there and a run reopens without training.
  await page.goto('./?lab=forecast');
  await waitForIdle(page);
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('forecast-run-summary')).toHaveCount(0);
  await page.getByTestId('history-open').nth(1).click();
  await expect(page.getByTestId('forecast-run-summary')).toBeVisible();
  await expect(page.getByTestId('forecast-run-status')).toHaveCount(0);
  const reopened = (await page.evaluate(() => window.__tlab.labResults())) as { lab: string; results: { spec: { seed: number } } } | null;
  expect(reopened?.results.spec.seed).toBe(1);
  // A reopened run is not kept a second time; deleting one leaves the other.
  await expect(rows).toHaveCount(2);
  await page.getByTestId('history-delete').nth(0).click();
  await expect(rows).toHaveCount(1);
});
