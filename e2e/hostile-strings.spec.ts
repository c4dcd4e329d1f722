import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { Table } from 'apache-arrow';
import { buildTable, writeBundle, type Row, type TableName } from '../core/bundle/index.ts';
import { importCapture } from '../core/importers/capture-to-bundle.ts';
import { SCREENSHOTS, chartData, demoBytes, dropFile, dropFiles, expect, fixtureBytes, readInNode, test, waitForIdle } from './support.ts';

/**
 * Strings from a bundle or a capture are data. Real captures with a task name, a syscall name and a counter unit
 * rewritten into markup that runs script if it is ever parsed as HTML; every custom ECharts tooltip is hovered and
 * must show the payload as text (and the legitimate class "<idle>" as text), with no script run and no dialog.
 * The CSP guard in support.ts fails the test on any Content-Security-Policy violation.
 */
const TASK = '<img src=x onerror="window.__pwned=1">';
const SYSCALL = '<img src=x onerror="window.__pwned=2">';
const UNIT = '<img src=x onerror="window.__pwned=3">';

interface Watch {
  dialogs: string[];
}

function watch(page: Page): Watch {
  const w: Watch = { dialogs: [] };
  page.on('dialog', (d) => {
    w.dialogs.push(d.message());
    void d.dismiss();
  });
  return w;
}

async function expectNotPwned(page: Page, w: Watch): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  // An <img> from a payload would be an element in the page; the app draws none.
  expect(await page.locator('img').count()).toBe(0);
  expect(w.dialogs).toEqual([]);
}

/** trace-cmd report text of hackbench with the task renamed: in the compact switch/wakeup forms and the task column. */
function hostileTrace(path: string): Uint8Array {
  const text = new TextDecoder().decode(fixtureBytes(path));
  const out = text.replace(/hackbench(?=:\d+ \[)/g, TASK).replace(/^(\s*)hackbench-(\d+)/gm, (_m, pad: string, pid: string) => `${pad}${TASK}-${pid}`);
  expect(out.split(TASK).length - 1).toBeGreaterThan(400);
  return new TextEncoder().encode(out);
}

/** Drops a capture on the overview (imported in the app's worker) and takes the bundle the app saves from it. */
async function importInApp(page: Page, name: string, bytes: Uint8Array): Promise<Uint8Array> {
  await dropFile(page, name, bytes);
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('ftrace');
  const saved = page.waitForEvent('download');
  await page.getByTestId('save-bundle').click();
  return new Uint8Array(readFileSync((await (await saved).path())!));
}

function rewrite(table: Table, name: TableName, f: (row: Row) => Row): Table {
  const rows: Row[] = [];
  for (let i = 0; i < table.numRows; i++) rows.push(f(table.get(i)!.toJSON() as Row));
  return buildTable(name, rows);
}

async function tooltipText(page: Page, id: string): Promise<{ text: string; html: string } | null> {
  return page.evaluate((chartId) => window.__tlab.chartTooltip(chartId), id);
}

/** Moves the real mouse over where `value` of series `seriesIndex` is drawn and returns the tooltip it opens. */
async function hover(page: Page, id: string, seriesIndex: number, value: (number | string)[], accept: (text: string) => boolean): Promise<{ text: string; html: string }> {
  const at = await page.evaluate(([c, s, v]) => window.__tlab.chartPixel(c, s, v), [id, seriesIndex, value] as const);
  expect(at, `${id}: ${JSON.stringify(value)} is drawn`).not.toBeNull();
  await page.mouse.move(at![0], at![1]);
  let last: { text: string; html: string } | null = null;
  await expect
    .poll(async () => {
      last = await tooltipText(page, id);
      return last !== null && accept(last.text);
    }, { message: `${id}: the tooltip at ${JSON.stringify(value)} says what is drawn there`, timeout: 5000 })
    .toBe(true);
  return last!;
}

/** The tooltip's DOM holds the string only as text: read back as markup, it is a text node's (&, <, > as entities). */
function expectEscaped(html: string, payload: string): void {
  expect(html).not.toContain(payload);
  expect(html).toContain(payload.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

test('a task name from an imported trace shows as text in the confusion matrix tooltips', async ({ page }) => {
  const t0 = Date.now();
  const w = watch(page);
  await page.goto('./');
  await waitForIdle(page);

  // Two printings of one real trace-cmd capture (compact and latency format), imported by the app and saved as bundles.
  const train = await importInApp(page, 'hostile-1.txt', hostileTrace('ftrace/trace-cmd-report-hackbench.txt'));
  const testBundle = await importInApp(page, 'hostile-2.txt', hostileTrace('ftrace/trace-cmd-report-l-hackbench.txt'));
  await expectNotPwned(page, w);
  // The parser keeps the name whole: it is the bundle's task name, not a piece of it.
  const sched = (await readInNode(train)).tables.sched!;
  const names = new Set<unknown>();
  for (let i = 0; i < sched.numRows; i++) names.add(sched.get(i)!.toJSON().next_comm);
  expect(names.has(TASK)).toBe(true);

  await page.goto('./?lab=sched');
  await waitForIdle(page);
  // Only the two crafted bundles take part, one to train and one to test.
  for (const select of await page.locator('[data-testid^="sched-role-"]').all()) await select.selectOption('unused');
  await dropFiles(page, [
    { name: 'hostile-1.tlab', bytes: train },
    { name: 'hostile-2.tlab', bytes: testBundle },
  ]);
  await expect(page.getByTestId('sched-workload-hostile-1.tlab')).toHaveValue('hostile');
  await expect(page.getByTestId('sched-workload-hostile-2.tlab')).toHaveValue('hostile');
  await page.getByTestId('sched-role-hostile-1.tlab').selectOption('train');
  await page.getByTestId('sched-role-hostile-2.tlab').selectOption('test-seen');

  // Baselines only (no training), next task class: the classes are the task names.
  await page.getByTestId('sched-target').selectOption('next-class');
  await page.getByTestId('sched-window').fill('8');
  await page.getByTestId('sched-max-train').fill('200');
  await page.getByTestId('sched-max-test').fill('2000');
  while ((await page.getByTestId('sched-model-0-remove').count()) > 0) await page.getByTestId('sched-model-0-remove').click();
  await expect(page.getByTestId('sched-spec-error')).toHaveCount(0);
  await expect(page.getByTestId('sched-run')).toBeEnabled({ timeout: 90_000 });
  await page.getByTestId('sched-run').click();
  // Baselines on a few hundred switches finish in well under the polling interval: the run is seen in the
  // history it ends in, not in its transient status line (which a CI run missed once).
  await expect(page.getByTestId('sched-history').getByTestId('history-row')).toHaveCount(1, { timeout: 90_000 });
  await waitForIdle(page);
  await expect(page.getByTestId('sched-run-failed')).toHaveCount(0);
  await expect(page.getByTestId('sched-run-status')).toHaveCount(0);

  // A baseline that predicts several classes, so the matrix has off-diagonal cells.
  await page.getByTestId('sched-row-ngram-1').click();
  await waitForIdle(page);
  const [heat] = (await chartData(page, 'sched-confusion'))!;
  const labels = heat!.categories!;
  expect(labels).toContain(TASK);
  expect(labels).toContain('<idle>');
  const cells = heat!.data as [number, number, number, number][];
  expect(cells.length).toBeGreaterThan(labels.length);
  await page.getByTestId('chart-sched-confusion').scrollIntoViewIfNeeded();
  const shown = new Set<string>();
  for (const [p, t, , n] of cells) {
    const want = `true ${labels[t]} → predicted ${labels[p]}`;
    const tip = await hover(page, 'sched-confusion', 0, [p, t], (text) => text.includes(want) && text.includes(`${n.toLocaleString('en-US')} positions`));
    for (const special of [TASK, '<idle>']) if (tip.text.includes(special)) {
      shown.add(special);
      expectEscaped(tip.html, special);
    }
  }
  expect([...shown].sort()).toEqual([TASK, '<idle>'].sort());
  await expectNotPwned(page, w);
  await page.getByTestId('chart-sched-confusion').screenshot({ path: `${SCREENSHOTS}hostile-confusion.png` });
  console.log(`hostile strings, sched lab: ${cells.length} cells hovered, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

test('a syscall name and a counter unit from a bundle show as text in the forecast lab tooltips', async ({ page }) => {
  const t0 = Date.now();
  const w = watch(page);

  // The strace importer refuses a call whose name is not an identifier: such a line is a parse problem, not a call.
  const straceText = new TextDecoder().decode(fixtureBytes('strace/strace-f-ttt-T-pipeline-threads.log'));
  const hostileStrace = straceText.replace(/ mmap\(/g, ` ${SYSCALL}(`);
  expect(hostileStrace).not.toBe(straceText);
  const { bundle: imported, report } = await importCapture('hostile.log', new TextEncoder().encode(hostileStrace));
  const calls = imported.tables.syscalls!;
  for (let i = 0; i < calls.numRows; i++) expect(calls.get(i)!.toJSON().name).not.toContain('<img');
  expect(report.problemCount).toBeGreaterThan(0);

  // A bundle is a file anyone can write, though: a real recording whose most frequent call and counter unit are rewritten.
  const real = await readInNode(demoBytes('sysbench-cpu.tlab'));
  const syscalls = rewrite(real.tables.syscalls!, 'syscalls', (r) => (r.name === 'mmap' ? { ...r, name: SYSCALL } : r));
  const counters = rewrite(real.tables.counters!, 'counters', (r) => (r.unit === 'msec' ? { ...r, unit: UNIT } : r));
  const { tables: _tables, raw: _raw, ...manifest } = real.manifest;
  const hostile = writeBundle({ manifest, tables: { ...real.tables, syscalls, counters } });

  await page.goto('./?lab=forecast&bundle=sysbench-cpu.tlab');
  await waitForIdle(page);
  await dropFile(page, 'hostile-sysbench.tlab', hostile);
  await expect(page.getByTestId('forecast-bundle')).toHaveValue('hostile-sysbench.tlab');
  await expect(page.getByTestId('forecast-series-status')).toHaveAttribute('data-status', 'ready');

  // The heatmap's unit is the target's: forecast the task-clock counter, persistence only (nothing to train).
  await page.getByTestId('forecast-target').selectOption('counter:task-clock@group');
  await page.getByTestId('forecast-horizons').fill('1, 2');
  await page.getByTestId('forecast-histories').fill('2, 4');
  for (const box of await page.locator('[data-testid^="forecast-inputs-"]').all()) {
    const want = (await box.getAttribute('data-testid')) === 'forecast-inputs-usage';
    if ((await box.isChecked()) !== want) await box.click();
  }
  for (const m of ['persistence', 'moving-average', 'ridge', 'random-forest', 'lstm', 'tcn']) {
    const box = page.getByTestId(`forecast-model-${m}`);
    if ((await box.isChecked()) !== (m === 'persistence')) await box.click();
  }
  await expect(page.getByTestId('forecast-spec-error')).toHaveCount(0);
  await expect(page.getByTestId('forecast-run')).toBeEnabled({ timeout: 90_000 });
  await page.getByTestId('forecast-run').click();
  await waitForIdle(page);
  await expect(page.getByTestId('forecast-run-failed')).toHaveCount(0);
  await expect(page.getByTestId('forecast-run-status')).toHaveCount(0);

  const [heat] = (await chartData(page, 'forecast-heatmap'))!;
  const heatCells = heat!.data as [number, number, number][];
  expect(heatCells).toHaveLength(4);
  await page.getByTestId('chart-forecast-heatmap').scrollIntoViewIfNeeded();
  for (const [x, y] of heatCells) {
    const want = `horizon ${[1, 2][y]}, history ${[2, 4][x]}`;
    const tip = await hover(page, 'forecast-heatmap', 0, [x, y], (text) => text.includes(want));
    expect(tip.text).toContain(`${UNIT}/s`);
    expectEscaped(tip.html, UNIT);
  }
  await expectNotPwned(page, w);

  // Syscall embeddings of the same bundle: every point of the scatter, the rewritten call among them.
  await page.getByTestId('embed-epochs').fill('1');
  await page.getByTestId('embed-dim').fill('2');
  await page.getByTestId('embed-train').click();
  await waitForIdle(page);
  await expect(page.getByTestId('embed-failed')).toHaveCount(0);
  const scatter = (await chartData(page, 'forecast-embedding'))!;
  const points = scatter.flatMap((s, seriesIndex) => (s.data as { value: [number, number, string, number] }[]).map((d) => ({ seriesIndex, value: d.value })));
  expect(points.map((p) => p.value[2])).toContain(SYSCALL);
  await page.getByTestId('chart-forecast-embedding').scrollIntoViewIfNeeded();
  const pixels = await Promise.all(points.map((p) => page.evaluate(([s, v]) => window.__tlab.chartPixel('forecast-embedding', s, v), [p.seriesIndex, [p.value[0], p.value[1]]] as [number, number[]])));
  let payloadShown = false;
  for (const [i, p] of points.entries()) {
    // Points drawn on top of each other: the tooltip may name any of them.
    const near = points.filter((_, j) => Math.hypot(pixels[j]![0] - pixels[i]![0], pixels[j]![1] - pixels[i]![1]) < 12);
    const tip = await hover(page, 'forecast-embedding', p.seriesIndex, [p.value[0], p.value[1]], (text) =>
      near.some((q) => text === `${q.value[2]}\n${q.value[3].toLocaleString('en-US')} calls`),
    );
    if (tip.text.startsWith(SYSCALL)) {
      payloadShown = true;
      expectEscaped(tip.html, SYSCALL);
    }
  }
  expect(payloadShown).toBe(true);
  await expectNotPwned(page, w);
  await page.getByTestId('chart-forecast-embedding').screenshot({ path: `${SCREENSHOTS}hostile-embedding.png` });
  console.log(`hostile strings, forecast lab: ${heatCells.length} heatmap cells and ${points.length} points hovered, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
