import type { Page } from '@playwright/test';
import { dictColumn, numberColumn, type Bundle } from '../core/bundle/index.ts';
import { SCREENSHOTS, chartData, demoBytes, expect, readInNode, test, waitForIdle } from './support.ts';

// The per-CPU timeline and the syscall latency views (issue 13), checked against the tables read in Node.

interface Slice {
  cpu: string;
  start: number;
  end: number;
  task: string;
  state: string | null;
  wake: number | null;
}

/**
 * The timeline's definition walked naively over the sched table: events in time order; on each CPU a slice runs
 * from a sched_switch to the next one and belongs to the task switched in (idle, pid 0, is not drawn). Its wake-up
 * latency is from the first sched_wakeup(_new) of the task since it last stopped running.
 */
function naiveSlices(b: Bundle): Slice[] {
  const t = b.tables.sched!;
  const start = b.manifest.workload.startNs;
  const ts = numberColumn(t, 'ts_ns');
  const cpu = numberColumn(t, 'cpu');
  const ev = dictColumn(t, 'event');
  const prevPid = numberColumn(t, 'prev_pid');
  const prevState = dictColumn(t, 'prev_state');
  const nextPid = numberColumn(t, 'next_pid');
  const nextComm = dictColumn(t, 'next_comm');
  const target = numberColumn(t, 'target_pid');
  const rows = Array.from({ length: t.numRows }, (_, i) => i).sort((a, b) => ts[a]! - ts[b]! || a - b);
  const open = new Map<number, { start: number; task: string; wake: number | null }>();
  const woke = new Map<number, number>();
  const out: Slice[] = [];
  for (const i of rows) {
    const s = (ts[i]! - start) / 1e9;
    const e = ev.values[ev.codes[i]!];
    if (e === 'sched_wakeup' || e === 'sched_wakeup_new') {
      if (!woke.has(target[i]!)) woke.set(target[i]!, s);
    }
    if (e !== 'sched_switch') continue;
    const o = open.get(cpu[i]!);
    if (o) out.push({ cpu: `CPU ${cpu[i]}`, start: o.start, end: s, task: o.task, state: prevState.codes[i]! >= 0 ? prevState.values[prevState.codes[i]!]! : null, wake: o.wake });
    open.delete(cpu[i]!);
    woke.delete(prevPid[i]!);
    if (nextPid[i]! > 0) {
      const w = woke.get(nextPid[i]!);
      woke.delete(nextPid[i]!);
      open.set(cpu[i]!, { start: s, task: `${nextComm.values[nextComm.codes[i]!] ?? ''} ${nextPid[i]}`, wake: w === undefined ? null : s - w });
    }
  }
  return out;
}

interface ViewData {
  span: { from: number; to: number };
  buildMs: number | null;
  pending: boolean;
  drawMs: number[];
  view: {
    from: number;
    to: number;
    widthPx: number;
    slices: number;
    tracks: { label: string; entries: { start: number; end: number; key: string; pid: number; count: number; code: string | null; value: number | null }[] }[];
  } | null;
}

const viewData = (page: Page, id: string) => page.evaluate((v) => window.__tlab.viewData(v), id) as Promise<ViewData | null>;

/** Where time t is drawn on a timeline canvas (the label gutter is 120 px from 600 px wide, else 64). */
async function pixelOf(page: Page, id: string, t: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId(id).locator('canvas').boundingBox())!;
  const d = (await viewData(page, id))!;
  const gutter = box.width < 600 ? 64 : 120;
  const plotW = box.width - gutter;
  return { x: box.x + gutter + ((t - d.span.from) / (d.span.to - d.span.from)) * plotW, y: box.y + 22 + 15 };
}

/** One wheel step on the timeline with the pointer over time t (scrolled into view first: charts above may still grow). */
async function wheelAt(page: Page, id: string, t: number, deltaY: number): Promise<void> {
  await page.getByTestId(id).locator('canvas').scrollIntoViewIfNeeded();
  const { x, y } = await pixelOf(page, id, t);
  await page.mouse.move(x, y);
  await page.mouse.wheel(0, deltaY);
  await waitForIdle(page);
}

test('the per-CPU timeline zooms to single switches, and its slices are a naive walk of the sched table', async ({ page }) => {
  test.setTimeout(240_000);
  const file = 'messaging.tlab';
  const bundle = await readInNode(demoBytes(file));
  const naive = naiveSlices(bundle);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`./?demo=${file}`);
  await waitForIdle(page);
  const card = page.getByTestId('sched-timeline-card');
  // The slices are built when the card comes near the viewport: scroll to it and wait for its first view.
  const scrolled = Date.now();
  await card.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('sched-timeline')).toBeVisible();
  await expect.poll(async () => (await viewData(page, 'sched-timeline'))?.view != null, { intervals: [20] }).toBe(true);
  const built = (await viewData(page, 'sched-timeline'))!;
  // The build starts when the card comes within 1500 px of the viewport, which may be before this scroll.
  console.info(`scrolled to the timeline -> first view drawn: ${Date.now() - scrolled} ms; the worker built the slices of ${naive.length} runs in ${built.buildMs?.toFixed(0)} ms`);
  await waitForIdle(page);
  const whole = (await viewData(page, 'sched-timeline'))!;
  expect(whole.view).not.toBeNull();
  // The whole recording: every slice counted once, however merged.
  expect(whole.view!.slices).toBe(naive.length);
  // At most about 4 entries per pixel per CPU: the level of detail holds on the 664k-row demo.
  for (const tr of whole.view!.tracks) expect(tr.entries.length).toBeLessThanOrEqual(4 * whole.view!.widthPx + 8);
  await page.screenshot({ path: `${SCREENSHOTS}timeline-whole-1440.png` });

  // Zoom with the wheel on a run in the middle of the recording until every entry in view is one real slice.
  const target = naive[Math.floor(naive.length / 2)]!;
  const anchor = (target.start + target.end) / 2;
  let wheels = 0;
  for (;;) {
    await wheelAt(page, 'sched-timeline', anchor, -400);
    wheels++;
    const d = (await viewData(page, 'sched-timeline'))!;
    const merged = d.view!.tracks.some((tr) => tr.entries.some((e) => e.count > 1));
    if ((!merged && d.view!.slices <= 40) || wheels > 40) break;
  }
  expect(wheels, 'the wheel zoomed down to single switches').toBeLessThanOrEqual(40);
  const d = (await viewData(page, 'sched-timeline'))!;
  const v = d.view!;
  // The data drawn is for the span shown, and nothing in it is merged.
  expect([v.from, v.to]).toEqual([d.span.from, d.span.to]);
  expect(v.tracks.flatMap((tr) => tr.entries).every((e) => e.count === 1)).toBe(true);
  expect(v.slices).toBeGreaterThanOrEqual(1);
  expect(v.slices).toBeLessThanOrEqual(40);
  const shown: Slice[] = v.tracks.flatMap((tr) => tr.entries.map((e) => ({ cpu: tr.label, start: e.start, end: e.end, task: e.key, state: e.code, wake: e.value })));
  const expected = naive.filter((s) => s.end > v.from && s.start < v.to);
  const order = (a: Slice, b: Slice) => a.cpu.localeCompare(b.cpu) || a.start - b.start;
  expect(shown.sort(order)).toEqual(expected.sort(order));
  console.info(`zoomed in ${wheels} wheel steps to ${((v.to - v.from) * 1e6).toFixed(1)} µs: ${v.slices} slices, equal to the naive walk`);

  // Hovering the run under the anchor names its task, how it ended and its wake-up latency.
  const hit = expected.find((s) => s.start <= anchor && s.end >= anchor)!;
  await page.getByTestId('sched-timeline').locator('canvas').scrollIntoViewIfNeeded();
  const at = await pixelOf(page, 'sched-timeline', anchor);
  const cpuIndex = v.tracks.findIndex((tr) => tr.label === hit.cpu);
  // pixelOf's y is the middle of the first track; tracks are 30 px apart.
  await page.mouse.move(at.x, at.y + cpuIndex * 30);
  const tip = page.getByTestId('sched-timeline-tooltip');
  await expect(tip).toBeVisible();
  const [comm, pid] = [hit.task.slice(0, hit.task.lastIndexOf(' ')), hit.task.slice(hit.task.lastIndexOf(' ') + 1)];
  await expect(tip).toContainText(`${comm} (pid ${pid})`);
  await expect(tip).toContainText(hit.wake === null ? 'no wake-up before this run' : 'wake-up latency');
  if (hit.state) await expect(tip).toContainText(`switched out ${hit.state}`);
  await page.screenshot({ path: `${SCREENSHOTS}timeline-single-switches-1440.png` });
  // Dark theme: the canvas repaints with the theme's colours (its text colour is the theme's foreground).
  const toggle = page.getByTestId('theme-toggle');
  await toggle.click();
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
  await page.getByTestId('sched-timeline').locator('canvas').scrollIntoViewIfNeeded();
  await page.mouse.move(at.x, at.y + cpuIndex * 30);
  await page.screenshot({ path: `${SCREENSHOTS}timeline-single-switches-dark-1440.png` });
  await toggle.click();

  // The summary for screen readers describes the same span.
  await expect(page.getByTestId('sched-timeline-summary')).toContainText(`${v.slices} slices on ${v.tracks.length} tracks`);

  // Keyboard: "." steps to the first slice of the first track and announces it in words.
  await page.getByRole('group', { name: /Per-CPU scheduler timeline/ }).focus();
  await page.keyboard.press('.');
  const first = v.tracks[0]!.entries[0]!;
  await expect(page.locator('[aria-live="polite"]').filter({ hasText: v.tracks[0]!.label })).toContainText(`${first.key.slice(0, first.key.lastIndexOf(' '))} (pid ${first.pid})`);

  // Keyboard: back to everything with Home.
  await page.getByRole('group', { name: /Per-CPU scheduler timeline/ }).focus();
  await page.keyboard.press('Home');
  await waitForIdle(page);
  const back = (await viewData(page, 'sched-timeline'))!;
  expect(back.view!.slices).toBe(naive.length);

  // Draw times on the 664k-row demo: every frame is drawn from at most a few thousand entries.
  const frames = back.drawMs;
  console.info(`draw ms over ${frames.length} frames: median ${[...frames].sort((a, b) => a - b)[Math.floor(frames.length / 2)]!.toFixed(2)}, max ${Math.max(...frames).toFixed(2)}`);
  // Worker time for a whole-recording view at this width (the slices are built by now).
  const ms = await page.evaluate(async () => {
    const t0 = performance.now();
    document.querySelector<HTMLButtonElement>('[data-testid="sched-timeline-zoom-in"]')!.click();
    await window.__tlab.waitForIdle();
    return performance.now() - t0;
  });
  console.info(`zoom-in click to idle (worker view + draw, incl. the idle hook's ~50 ms settle): ${ms.toFixed(0)} ms`);

  // The phone layout: the same timeline, narrower, zoomed back to single switches with the buttons.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.keyboard.press('Home');
  await waitForIdle(page);
  // The wheel only reaches the canvas where it is on screen.
  await page.getByTestId('sched-timeline').locator('canvas').scrollIntoViewIfNeeded();
  let converged = false;
  for (let k = 0; k < 60 && !converged; k++) {
    await wheelAt(page, 'sched-timeline', anchor, -400);
    const p = (await viewData(page, 'sched-timeline'))!;
    converged = !p.view!.tracks.some((tr) => tr.entries.some((e) => e.count > 1)) && p.view!.slices <= 20;
  }
  expect(converged, 'the wheel zoomed the phone-width timeline down to single switches').toBe(true);
  const phone = (await viewData(page, 'sched-timeline'))!.view!;
  const phoneShown = phone.tracks.flatMap((tr) => tr.entries.map((e) => ({ cpu: tr.label, start: e.start, end: e.end, task: e.key, state: e.code, wake: e.value })));
  expect(phoneShown.sort(order)).toEqual(naive.filter((s) => s.end > phone.from && s.start < phone.to).sort(order));
  // Hover the run under the anchor, so the shot shows a tooltip too.
  await page.getByTestId('sched-timeline').locator('canvas').scrollIntoViewIfNeeded();
  const onPhone = await pixelOf(page, 'sched-timeline', anchor);
  await page.mouse.move(onPhone.x, onPhone.y + phone.tracks.findIndex((tr) => tr.label === hit.cpu) * 30);
  await expect(page.getByTestId('sched-timeline-tooltip')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}timeline-single-switches-390.png` });
});

/** p-th percentile by nearest rank, the ⌈p·n/100⌉-th smallest. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!;
}

test('the syscall latency view shows p50/p90/p99/max per call equal to a naive computation, slowest calls and a thread timeline', async ({ page }) => {
  test.setTimeout(180_000);
  // An all-sources demo recorded with strace -T (every call has a duration).
  const file = 'compression.tlab';
  const bundle = await readInNode(demoBytes(file));
  const t = bundle.tables.syscalls!;
  const kind = dictColumn(t, 'kind');
  const name = dictColumn(t, 'name');
  const dur = numberColumn(t, 'duration_ns');
  const byName = new Map<string, number[]>();
  let timed = 0;
  for (let i = 0; i < t.numRows; i++) {
    if (kind.values[kind.codes[i]!] !== 'syscall' || Number.isNaN(dur[i]!)) continue;
    const n = name.values[name.codes[i]!]!;
    if (!byName.has(n)) byName.set(n, []);
    byName.get(n)!.push(dur[i]!);
    timed++;
  }
  expect(timed).toBeGreaterThan(1000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`./?demo=${file}`);
  await waitForIdle(page);
  const section = page.getByTestId('syscall-latency');
  await section.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('latency-row').first()).toBeVisible();
  await waitForIdle(page);
  const rows = await page.getByTestId('latency-row').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')];
      return {
        name: tr.getAttribute('data-name')!,
        count: Number(cells[0]!.getAttribute('data-v')),
        p50: Number(cells[2]!.getAttribute('data-ns')),
        p90: Number(cells[3]!.getAttribute('data-ns')),
        p99: Number(cells[4]!.getAttribute('data-ns')),
        max: Number(cells[5]!.getAttribute('data-ns')),
      };
    }),
  );
  const expected = [...byName.entries()].map(([n, ds]) => {
    const s = [...ds].sort((a, b) => a - b);
    return { name: n, count: s.length, p50: percentile(s, 50), p90: percentile(s, 90), p99: percentile(s, 99), max: s[s.length - 1]! };
  });
  const byN = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : 1);
  expect(rows.sort(byN)).toEqual(expected.sort(byN));
  // The shown text is the same number: e.g. read's p99 cell says what the naive p99 is, in µs or ms.
  await page.screenshot({ path: `${SCREENSHOTS}syscall-latency-1440.png` });

  // Picking a call draws its histogram: every call of that name is in a bin.
  const busiest = [...expected].sort((a, b) => b.count - a.count)[0]!;
  const second = [...expected].sort((a, b) => b.count - a.count)[1]!;
  await page.getByRole('button', { name: `Histogram of ${second.name}`, exact: true }).click();
  await waitForIdle(page);
  const hist = await page.evaluate(() => window.__tlab.chartData('syscall-latency-histogram'));
  expect((hist![0]!.data as number[]).reduce((a, b) => a + b, 0)).toBe(second.count);
  expect(busiest.count).toBeGreaterThanOrEqual(second.count);

  // Tabs follow the arrow keys; the slowest call is the naive maximum over every call.
  await page.getByTestId('tab-latency').focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-slowest')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tab-slowest')).toBeFocused();
  const slowestNs = Number(await page.getByTestId('slowest-calls').locator('tbody tr').first().locator('td[data-ns]').getAttribute('data-ns'));
  expect(slowestNs).toBe(Math.max(...expected.map((e) => e.max)));

  // The per-thread timeline holds every timed call.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('tab-threads')).toHaveAttribute('aria-selected', 'true');
  await waitForIdle(page);
  const threads = (await viewData(page, 'syscall-timeline'))!;
  expect(threads.view!.slices).toBe(timed);
  await page.getByTestId('syscall-timeline').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}syscall-timeline-1440.png` });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('tab-latency').click();
  await waitForIdle(page);
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SCREENSHOTS}syscall-latency-390.png` });
});

test('two fingers pinching apart on a touch screen zoom the timeline in around them', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto('./?demo=sysbench-cpu.tlab');
  await waitForIdle(page);
  await page.getByTestId('sched-timeline-card').scrollIntoViewIfNeeded();
  await expect.poll(async () => (await viewData(page, 'sched-timeline'))?.view != null).toBe(true);
  await waitForIdle(page);
  const before = (await viewData(page, 'sched-timeline'))!.span;
  const canvas = page.getByTestId('sched-timeline').locator('canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const cx = box.x + 64 + (box.width - 64) / 2;
  const y = box.y + 22 + 15;
  const cdp = await context.newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', d: number) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: type === 'touchEnd' ? [] : [
        { x: cx - d, y, id: 1 },
        { x: cx + d, y, id: 2 },
      ],
    });
  await touch('touchStart', 30);
  for (const d of [45, 60, 75, 90]) await touch('touchMove', d);
  await touch('touchEnd', 90);
  await waitForIdle(page);
  const after = (await viewData(page, 'sched-timeline'))!;
  const ratio = (after.span.to - after.span.from) / (before.to - before.from);
  // Fingers 60 px apart moved to 180 px: a third of the span, centred where they were.
  expect(ratio).toBeGreaterThan(0.25);
  expect(ratio).toBeLessThan(0.42);
  expect([after.view!.from, after.view!.to]).toEqual([after.span.from, after.span.to]);
  await page.screenshot({ path: `${SCREENSHOTS}timeline-pinched-390.png` });
  await context.close();
});

for (const size of [
  { width: 1440, height: 900, name: '1440' },
  { width: 390, height: 844, name: '390' },
]) {
  test(`the per-CPU timeline follows the charts' zoom down to single switches (${size.name} px)`, async ({ page }) => {
    test.setTimeout(240_000);
    const file = 'messaging.tlab';
    const naive = naiveSlices(await readInNode(demoBytes(file)));
    await page.setViewportSize(size);
    await page.goto(`./?demo=${file}`);
    await waitForIdle(page);
    await page.getByTestId('sched-timeline-card').scrollIntoViewIfNeeded();
    await expect.poll(async () => (await viewData(page, 'sched-timeline'))?.view != null, { intervals: [50] }).toBe(true);
    await waitForIdle(page);
    const spanAfter = async (start: number, end: number) => {
      expect(await page.evaluate(([s, e]) => window.__tlab.zoom('usage-cpu', s!, e!), [start, end])).toBe(true);
      await waitForIdle(page);
      return (await viewData(page, 'sched-timeline'))!;
    };
    // Two zooms of the CPU chart, a thousandth of a percent wide (about 120 µs of the 12.2 s recording).
    const a = await spanAfter(40, 40.001);
    const b = await spanAfter(60, 60.001);
    const lenA = a.span.to - a.span.from;
    const lenB = b.span.to - b.span.from;
    expect(lenA).toBeGreaterThan(0);
    expect(lenA).toBeLessThan(0.001);
    expect(lenB).toBeCloseTo(lenA, 9);
    // The span moved by the 20 points of the chart's axis between the two zooms: 20,000 times its length.
    expect((b.span.from - a.span.from) / lenA).toBeCloseTo(20_000, -1);
    // And what the canvas shows there is the naive walk of the sched table over that span, switch by switch.
    const v = b.view!;
    expect([v.from, v.to]).toEqual([b.span.from, b.span.to]);
    expect(v.tracks.flatMap((tr) => tr.entries).every((e) => e.count === 1)).toBe(true);
    const shown: Slice[] = v.tracks.flatMap((tr) => tr.entries.map((e) => ({ cpu: tr.label, start: e.start, end: e.end, task: e.key, state: e.code, wake: e.value })));
    const expected = naive.filter((s) => s.end > v.from && s.start < v.to);
    expect(expected.length).toBeGreaterThan(0);
    const order = (x: Slice, y: Slice) => x.cpu.localeCompare(y.cpu) || x.start - y.start;
    expect(shown.sort(order)).toEqual(expected.sort(order));
    console.info(`CPU chart zoomed to 60-60.001%: the timeline shows ${((v.to - v.from) * 1e6).toFixed(1)} µs, ${v.slices} slices, equal to the naive walk`);
    await page.getByTestId('sched-timeline-card').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}timeline-follows-chart-zoom-${size.name}.png` });

    // And the other way: zooming out on the canvas zooms the charts to its span (the scheduler charts' detail
    // is then bucketed over that span alone, not the 12.2 s recording).
    for (let k = 0; k < 3; k++) await page.getByTestId('sched-timeline-zoom-out').click();
    await waitForIdle(page);
    const c = (await viewData(page, 'sched-timeline'))!;
    const len = c.span.to - c.span.from;
    expect(len).toBeCloseTo(8 * lenB, 9);
    const busy = (await chartData(page, 'sched-busy'))!;
    const xs = busy.flatMap((sr) => (sr.data as [number, number][]).map(([x]) => x));
    expect(xs.length).toBeGreaterThan(0);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(c.span.from - len);
    expect(Math.max(...xs)).toBeLessThanOrEqual(c.span.to + len);
  });
}
