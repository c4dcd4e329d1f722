import { serveStatic } from '../collector-cli/src/replay/static-server.ts';
import { demoIndex, expect, test, waitForIdle } from './support.ts';

const DIST = new URL('../dist/', import.meta.url).pathname;

// Issue 14, hosted demo: after one visit the site opens with its server gone (sw.js, scripts/service-worker.ts).
// The suite blocks service workers elsewhere (playwright.config.ts); this test serves dist/ itself so it can stop
// the server for real instead of emulating offline.
test('after the first visit, the app and the lightest demo open with the server gone; an unvisited demo is refused clearly', async ({ browser }) => {
  const lightest = [...demoIndex()].sort((a, b) => a.bytes - b.bytes)[0]!;
  const heavier = demoIndex().find((d) => d.file !== lightest.file)!;
  const server = await serveStatic(DIST);
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  try {
    const page = await context.newPage();
    await page.goto(server.url);
    await waitForIdle(page);
    await expect(page.getByTestId('welcome')).toBeVisible();
    // Installed (precache done) and in control of the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 90_000 });
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const cache = await caches.open(keys.find((k) => k.startsWith('tlab-'))!);
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    expect(cached).toContain(`/datasets/${lightest.file}`);
    expect(cached).toContain('/datasets/index.json');
    await server.close();
    // Nothing answers at the address any more.
    await expect(fetch(server.url)).rejects.toThrow();

    await page.goto(`${server.url}?demo=${lightest.file.replace(/\.tlab$/, '')}`);
    await waitForIdle(page);
    await expect(page.getByTestId('load-error')).toHaveCount(0);
    await expect(page.locator('.chart-card .chart').first()).toBeVisible();

    await page.goto(`${server.url}?demo=${heavier.file.replace(/\.tlab$/, '')}`);
    await waitForIdle(page);
    await expect(page.getByTestId('load-error')).toBeVisible();
  } finally {
    await context.close();
    await server.close();
  }
});
