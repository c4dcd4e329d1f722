import { overviewOf, prepareOverview } from '../core/overview/build-overview.ts';
import type { TimeWindow } from '../core/overview/types.ts';
import { chartData, demoBytes, expect, readInNode, test, waitForIdle } from './support.ts';

// messaging.tlab first shows a partial overview (usage, PSI, counters) while its 663,840 sched rows decode. A zoom
// made then must end, once the whole bundle replaces the partial, in the window's detail with the sched part, not
// the whole recording's coarse sched view (OverviewPage re-asks the shown window when the bundle grows).

declare global {
  interface Window {
    __zoomProbe?: { zoomedWhilePartial: boolean; windowWhilePartial: boolean; detailWhilePartial: boolean; coarse: number; partialWindow: unknown };
  }
}

test('a zoom made on the partial overview is re-applied to the whole bundle: the sched detail equals Node’s for that window', async ({ page }) => {
  test.setTimeout(300_000);
  // Zooms the first moment the partial overview has its CPU chart, from inside the page (a round trip from the
  // test could miss the partial), and notes whether the zoom's window was asked for while still partial.
  await page.addInitScript(() => {
    const probe = { zoomedWhilePartial: false, windowWhilePartial: false, detailWhilePartial: false, coarse: 0, partialWindow: null as unknown };
    window.__zoomProbe = probe;
    const partial = () => document.querySelector('[data-testid="pending-tables"]') !== null;
    const tick = () => {
      const hooks = window.__tlab;
      if (hooks && partial()) {
        const points = () => (hooks.chartData('usage-cpu') ?? []).reduce((n, s) => n + s.data.length, 0);
        if (!probe.zoomedWhilePartial && hooks.chartIds().includes('usage-cpu')) {
          probe.coarse = points();
          probe.zoomedWhilePartial = hooks.zoom('usage-cpu', 25, 50);
        }
        if (probe.zoomedWhilePartial && hooks.viewData('zoom-window')) probe.windowWhilePartial = true;
        // The detail drawn came from the partial (no sched part), not from the whole bundle answering a queued zoom.
        const fromPartial = (hooks.viewData('zoom-detail') as { sched: boolean } | null)?.sched === false;
        if (probe.windowWhilePartial && !probe.partialWindow) probe.partialWindow = hooks.viewData('zoom-window');
        if (probe.windowWhilePartial && points() < probe.coarse && fromPartial) probe.detailWhilePartial = true;
      }
      if (!probe.detailWhilePartial) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  // What this can and cannot show: the loader worker answers a zoom between its own steps, and a zoom sent from
  // the partial overview (200 ms after the gesture) lands while the worker decodes the sched columns in one
  // synchronous step, so it is answered by the whole bundle. In 30 loads here no detail was ever drawn from the
  // partial (annotated below per run): the re-application itself (OverviewPage's useZoomDetail) is not reached, and
  // this test passes without it. It checks the end state a user sees: a zoom made on the partial, once the whole
  // bundle is there, shows the window's full detail, sched included, equal to Node's. Asking the zoom while still
  // partial is itself a race (missed about one load in three), so the load is repeated until it is.
  let probe: NonNullable<Window['__zoomProbe']> | undefined;
  let attempts = 0;
  while (attempts < 10) {
    attempts++;
    await page.goto('./?demo=messaging.tlab');
    await waitForIdle(page);
    await expect(page.getByTestId('pending-tables')).toHaveCount(0);
    probe = (await page.evaluate(() => window.__zoomProbe))!;
    if (probe.windowWhilePartial) break;
  }
  test.info().annotations.push({ type: 'loads until the zoom was asked for on the partial', description: String(attempts) });
  test.info().annotations.push({ type: 'detail drawn from the partial (no sched part) before the whole bundle', description: String(probe!.detailWhilePartial) });
  // The zoom was made and asked for while the overview was partial.
  expect(probe).toMatchObject({ zoomedWhilePartial: true, windowWhilePartial: true });

  const window_ = (await page.evaluate(() => window.__tlab.viewData('zoom-window'))) as TimeWindow | null;
  expect(window_).not.toBeNull();
  // Whether the span shown now is the one asked for on the partial (re-asked when the whole bundle came), or a new
  // zoom the sched charts sent as they were first drawn (their axis spans the whole recording): reported, as either
  // must end in the window's full detail.
  test.info().annotations.push({ type: 'window asked on the partial, and now', description: JSON.stringify([probe!.partialWindow, window_]) });
  const expected = overviewOf(prepareOverview(await readInNode(demoBytes('messaging.tlab'))), window_).sched!;
  const shown = (await chartData(page, 'sched-busy'))!;
  expect(shown.map((s) => s.name)).toEqual(expected.busy.map((s) => s.name));
  for (const [k, s] of expected.busy.entries()) {
    const pts = shown[k]!.data as [number, number][];
    expect(pts.length).toBe(s.x.length);
    expect(pts).toEqual(Array.from(s.x, (x, i) => [x, s.y[i]]));
  }
  // And not the coarse view of the whole recording: the window's points lie inside it (one neighbour each side at most).
  const xs = shown.flatMap((s) => (s.data as [number, number][]).map(([x]) => x));
  expect(xs.filter((x) => x < window_!.from || x > window_!.to).length).toBeLessThanOrEqual(2 * shown.length);
});
