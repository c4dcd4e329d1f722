import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { CAPTURE_FORMATS } from '../core/importers/registry.ts';
import { LAB_VIEWS } from '../app/labs/lab-route.ts';
import { SCREENSHOTS, chartData, dropFile, dropFiles, expect, fixtureBytes, test, waitForIdle } from './support.ts';

// Issue 13: the pages a new user sees first, at a laptop's and a phone's size, with what each must show.
const SIZES = [
  { name: '1440', width: 1440, height: 900 },
  { name: '390', width: 390, height: 844 },
] as const;

/** Page-wide facts every screen must meet: nothing wider than the window, no leftovers of the old cards. */
async function checkPage(page: Page, what: string) {
  const m = await page.evaluate(() => ({ scroll: document.scrollingElement!.scrollWidth, inner: innerWidth, text: document.body.innerText }));
  expect(m.scroll, `${what}: page width ${m.scroll} in a ${m.inner} px window`).toBeLessThanOrEqual(m.inner);
  expect(m.text, what).not.toContain('[object Object]');
  expect(m.text, what).not.toMatch(/This bundle has no \w+ table/);
  // Float noise such as 0.0000000999999999 or 0.00019999999999999998 in anything shown.
  expect(m.text, what).not.toMatch(/\d\.\d*(?:0{6}|9{6})\d/);
}

/** Top of the first chart on the page, in px from the top of the document. */
function firstChartTop(page: Page) {
  return page.evaluate(() => {
    const c = document.querySelector('.chart-card .chart');
    return c ? c.getBoundingClientRect().top + scrollY : null;
  });
}

for (const size of SIZES) {
  test(`landing page at ${size.name} px says what the tool does, what it opens and links each lab`, async ({ page }) => {
    await page.setViewportSize(size);
    await page.goto('./');
    await waitForIdle(page);
    const welcome = page.getByTestId('welcome');
    await expect(welcome).toContainText('Telemetry Lab charts a recording');
    // Every format the importer registry reads is named (formats.test.ts checks the list; this checks it is shown).
    await expect(page.getByTestId('droppable').locator('li')).toHaveCount(CAPTURE_FORMATS.length);
    for (const f of CAPTURE_FORMATS) await expect(page.locator(`[data-format="${f.format}"]`)).toHaveCount(1);
    // Every lab the app has, each linked from the landing page.
    for (const lab of LAB_VIEWS.filter((v) => v.id !== 'overview').map((v) => v.id)) await expect(page.getByTestId(`landing-lab-${lab}`)).toHaveAttribute('href', `?lab=${lab}`);
    await expect(page.getByTestId('demo-list').locator('li').first()).toBeVisible();
    await checkPage(page, `landing ${size.name}`);
    await page.screenshot({ path: `${SCREENSHOTS}landing-${size.name}.png`, fullPage: true });
    await page.getByTestId('landing-lab-forecast').click();
    await expect(page).toHaveURL(/\?lab=forecast/);
    await expect(page.getByTestId('tab-forecast')).toHaveAttribute('aria-selected', 'true');
  });

  test(`demo overview at ${size.name} px leads with key figures and charts`, async ({ page }) => {
    await page.setViewportSize(size);
    await page.goto('./?demo');
    await waitForIdle(page);
    await expect(page.getByTestId('key-figures')).toBeVisible();
    for (const id of ['duration', 'cpu', 'memory', 'syscalls', 'switches', 'pressure']) await expect(page.getByTestId(`figure-${id}`)).toBeVisible();
    // The source details are there, folded.
    await expect(page.getByTestId('source-details')).not.toHaveAttribute('open', '');
    await expect(page.getByTestId('manifest-summary')).toBeHidden();
    const top = (await firstChartTop(page))!;
    console.log(`first chart at ${Math.round(top)} px (${size.name} px wide)`);
    expect(top).toBeLessThan(size.width > 500 ? 400 : 900);
    await checkPage(page, `overview ${size.name}`);
    if (size.width > 500) {
      // The header is one row (about 46 px) from 1024 to 1440 px.
      for (const width of [1024, 1280, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        const h = await page.locator('.topbar').evaluate((e) => e.getBoundingClientRect().height);
        expect(h, `header height at ${width} px`).toBeLessThan(60);
        // And nothing in it runs past the window's edge (the demo picker's own width was 370 px).
        const right = await page.locator('.topbar > *, .actions > *').evaluateAll((es) => Math.max(...es.map((e) => e.getBoundingClientRect().right)));
        expect(right, `header right edge at ${width} px`).toBeLessThanOrEqual(width);
      }
      await page.setViewportSize(size);
    }
    await page.screenshot({ path: `${SCREENSHOTS}overview-demo-${size.name}.png` });
  });
}

test('export buttons are named, charts have text summaries, view tabs follow the arrow keys', async ({ page }) => {
  await page.goto('./?demo');
  await waitForIdle(page);
  await expect(page.getByRole('button', { name: 'PNG of CPU chart' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'PNG of Pressure stall (PSI) chart' })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'CSV of the samples table' })).toHaveCount(1);
  const unnamed = await page.locator('button').evaluateAll((bs) => bs.filter((b) => /^(PNG|CSV)$/.test(b.getAttribute('aria-label') ?? b.textContent!.trim())).length);
  expect(unnamed).toBe(0);
  // The overview's own charts (the timeline's and latency views' summaries are theirs, tested in timeline.spec.ts).
  const ids = (await page.evaluate(() => window.__tlab.chartIds())).filter((id) => /^(usage-|psi$|counters|syscalls-(top|time)$|sched-(busy|switches)$)/.test(id));
  expect(ids.length).toBeGreaterThanOrEqual(8);
  for (const id of ids) {
    await expect(page.getByTestId(`chart-summary-${id}`), `summary of ${id}`).not.toBeEmpty();
  }
  // The CPU summary names the group's peak, as the key figure does.
  const group = (await chartData(page, 'usage-cpu'))!.find((s) => s.name === 'group')!.data as [number, number][];
  const peak = Math.max(...group.map(([, y]) => y).filter(Number.isFinite));
  await expect(page.getByTestId('chart-summary-usage-cpu')).toContainText(`group peaks at ${Number(peak.toPrecision(3))} cores`);
  await expect(page.getByTestId('figure-cpu')).toContainText(`${Number(peak.toPrecision(3))} cores`);

  await page.getByTestId('tab-overview').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-sched')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tab-sched')).toBeFocused();
  // A visible focus ring: an outline drawn for the keyboard-focused tab.
  const outline = await page.getByTestId('tab-sched').evaluate((e) => getComputedStyle(e).outlineStyle);
  expect(outline).toBe('solid');
  await page.keyboard.press('End');
  await expect(page.getByTestId(`tab-${LAB_VIEWS[LAB_VIEWS.length - 1]!.id}`)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'true');
});

test('zooming keeps every series in its colour and PNG exports carry a title', async ({ page }) => {
  await page.goto('./?demo');
  await waitForIdle(page);
  const colours = async (id: string) => Object.fromEntries(((await page.evaluate((c) => window.__tlab.chartColours(c), id)) ?? []).map((s) => [s.name, s.color]));
  const before = { cpu: await colours('usage-cpu'), psi: await colours('psi'), calls: await colours('syscalls-time') };
  expect(Object.keys(before.psi).length).toBeGreaterThan(9);
  expect(await page.evaluate(() => window.__tlab.zoom('usage-cpu', 40, 45))).toBe(true);
  await waitForIdle(page);
  for (const [id, was] of [['usage-cpu', before.cpu], ['psi', before.psi], ['syscalls-time', before.calls]] as const) {
    const now = await colours(id);
    for (const [name, colour] of Object.entries(now)) if (name in was) expect(colour, `${id}: ${name}`).toBe(was[name]);
    // Distinct colours within a chart.
    expect(new Set(Object.values(now)).size, id).toBe(Object.keys(now).length);
  }
  const png = page.waitForEvent('download');
  await page.getByRole('button', { name: 'PNG of CPU chart' }).click();
  const bytes = readFileSync((await (await png).path())!);
  expect(Array.from(bytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
  await page.screenshot({ path: `${SCREENSHOTS}overview-zoomed-1440.png` });
});

// Each format the importer reads, from the real fixtures, as a finished page.
const IMPORTS: { label: string; files: { name: string; path: string }[]; check: (page: Page) => Promise<void> }[] = [
  {
    label: 'strace-no-timestamps',
    files: [{ name: 'strace-f-cargo-run.log', path: 'strace/strace-f-cargo-run.log' }],
    check: async (page) => {
      await expect(page.getByTestId('syscalls-untimed')).toContainText('no timestamps');
      await expect(page.getByTestId('chart-syscalls-time')).toHaveCount(0);
      await expect(page.getByTestId('figure-syscalls')).toBeVisible();
    },
  },
  {
    label: 'strace-timed',
    files: [{ name: 'pipeline.log', path: 'strace/strace-f-ttt-T-pipeline-threads.log' }],
    check: async (page) => {
      expect((await chartData(page, 'syscalls-time'))!.length).toBeGreaterThan(0);
    },
  },
  {
    label: 'strace-ff',
    files: ['trace.7125', 'trace.7126', 'trace.7127', 'trace.7128', 'trace.7129', 'trace.7130'].map((n) => ({ name: n, path: `strace/ff-tt-T/${n}` })),
    check: async (page) => {
      await expect(page.getByTestId('figure-syscalls')).toContainText(/\d/);
    },
  },
  {
    label: 'ftrace',
    files: [{ name: 'hackbench.txt', path: 'ftrace/tracefs-hackbench.txt' }],
    check: async (page) => {
      // 29 ms of trace in buckets of 200 µs (niceBucket), named in µs.
      await expect(page.getByTestId('chart-summary-sched-switches')).toContainText('buckets of 200 µs');
    },
  },
  {
    label: 'systrace',
    files: [{ name: 'trace_surfaceflinger.html', path: 'systrace/trace_surfaceflinger.html' }],
    check: async (page) => {
      await expect(page.getByTestId('figure-switches')).toBeVisible();
    },
  },
  {
    label: 'perf-sched',
    files: [{ name: 'messaging.txt', path: 'perf-sched/perf-sched-script-messaging.txt' }],
    check: async (page) => {
      expect((await chartData(page, 'sched-busy'))!.length).toBeGreaterThan(0);
    },
  },
  {
    label: 'kernel-oracle',
    files: [{ name: 'all.csv', path: 'kernel-oracle/hackbench-all.csv' }],
    check: async (page) => {
      await expect(page.getByTestId('chart-summary-sched-switches')).toContainText('buckets of 100 µs');
      await page.getByTestId('source-details').locator('summary').click();
      await expect(page.getByTestId('source-sched')).toContainText('id hackbench_threads_run1, workload hackbench_threads, rows 447');
    },
  },
  {
    label: 'perf-stat',
    files: [{ name: 'stat.csv', path: 'perf-stat/perf-stat-I100.csv' }],
    check: async (page) => {
      // task-clock counts msec per second; the other three are counts per second: two charts, one unit each.
      await expect(page.getByTestId('chart-counters')).toContainText('per second');
      await expect(page.getByTestId('chart-counters-msec_s')).toContainText('msec/s');
      expect((await chartData(page, 'counters'))!.map((s) => s.name).sort()).toEqual(['context-switches', 'cpu-migrations', 'page-faults']);
    },
  },
  {
    label: 'perfspect-summary',
    files: [{ name: 'ICX-500.csv', path: 'perfspect/ICX-500.csv' }],
    check: async (page) => {
      const totals = page.getByTestId('counter-totals');
      await expect(totals).toContainText('276 values of 69 events');
      await expect(totals.locator('tbody tr')).toHaveCount(69);
      await expect(page.locator('body')).not.toContainText('not counted');
    },
  },
  {
    label: 'perfspect-series',
    files: [{ name: 'metric_out.sys.csv', path: 'perfspect-series/metric_out.sys.csv' }],
    check: async (page) => {
      expect((await chartData(page, 'counters'))!.length).toBe(4);
    },
  },
  {
    label: 'psi',
    files: [{ name: 'pressure.txt', path: 'psi/psi-proc-pressure-loop.txt' }],
    check: async (page) => {
      expect((await chartData(page, 'psi'))!.length).toBe(6);
      await expect(page.getByTestId('figure-pressure')).toBeVisible();
    },
  },
  {
    label: 'csv',
    files: [{ name: 'sadf-d-cpu.csv', path: 'csv/sadf-d-cpu.csv' }],
    check: async (page) => {
      expect((await chartData(page, 'counters'))!.length).toBeGreaterThan(0);
    },
  },
];

test('every import type opens as a finished page at 1440 and 390 px', async ({ page }) => {
  test.setTimeout(300_000);
  for (const imp of IMPORTS) {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.goto('./');
      await waitForIdle(page);
      await dropFiles(page, imp.files.map((f) => ({ name: f.name, bytes: fixtureBytes(f.path) })));
      await waitForIdle(page);
      await expect(page.getByTestId('imported-notice'), imp.label).toBeVisible();
      await expect(page.getByTestId('load-error')).toHaveCount(0);
      await imp.check(page);
      await checkPage(page, `${imp.label} ${size.name}`);
      // Parts without data are one line, not a card each.
      await expect(page.locator('.empty-card')).toHaveCount(0);
      await page.screenshot({ path: `${SCREENSHOTS}import-${imp.label}-${size.name}.png`, fullPage: size.width > 500 });
    }
  }
});

test('the file picker takes any file: a capture without a telling name is imported', async ({ page }) => {
  await page.goto('./');
  await waitForIdle(page);
  expect(await page.getByTestId('file-input').getAttribute('accept')).toBeNull();
  await page.getByTestId('file-input').setInputFiles({ name: 'trace.7125', mimeType: 'application/octet-stream', buffer: Buffer.from(fixtureBytes('strace/ff-tt-T/trace.7125')) });
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('strace');
  await dropFile(page, 'x.txt', fixtureBytes('psi/psi-proc-pressure-loop.txt'));
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('psi');
});

test('the dark theme reaches the key figures and keeps every series colour visible', async ({ page }) => {
  await page.goto('./?demo');
  await waitForIdle(page);
  await page.getByTestId('theme-toggle').click();
  await waitForIdle(page);
  const figure = await page.getByTestId('figure-cpu').locator('dd').evaluate((e) => getComputedStyle(e).color);
  expect(figure).toBe('rgb(228, 232, 238)');
  // No series in a colour too dark to see on the dark background (#101317): relative luminance above 0.1.
  const lum = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  for (const id of ['usage-cpu', 'psi', 'syscalls-time', 'sched-switches']) {
    for (const s of (await page.evaluate((c) => window.__tlab.chartColours(c), id)) ?? []) expect(lum(s.color), `${id}: ${s.name} ${s.color}`).toBeGreaterThan(0.1);
  }
  await page.screenshot({ path: `${SCREENSHOTS}overview-demo-dark-1440.png` });
});
