import { existsSync } from 'node:fs';

/**
 * Opens a lab in Debian's Chromium with Playwright, the spec in the link and run=1 (app/labs/url-spec.ts), waits with
 * the app's idle hook (window.__tlab.waitForIdle) until the run has finished, and collects what the page shows:
 * its results (window.__tlab.labResults), a PNG of every chart, the run's status text, and the browser's version.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu'];

export interface BrowserRun {
  readonly results: unknown;
  readonly charts: readonly { readonly id: string; readonly title: string; readonly png: Buffer }[];
  readonly page: Buffer;
  readonly browserVersion: string;
  readonly backendText: string;
  readonly seconds: number;
}

export interface DriveOptions {
  readonly siteUrl: string;
  readonly lab: string;
  /** Where the page fetches the spec from (relative to the site), or the spec itself. */
  readonly spec: string;
  /** A compute backend the app's picker offers (engine, webgpu, webgl, wasm, cpu); the app's own choice when absent. */
  readonly backend?: string;
  readonly headed?: boolean;
  readonly timeoutMs: number;
  readonly chromium: string;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
}

export class ReplayError extends Error {}

export async function driveBrowser(o: DriveOptions): Promise<BrowserRun> {
  if (!existsSync(o.chromium)) throw new ReplayError(`no Chromium at ${o.chromium}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`);
  let playwright: typeof import('@playwright/test');
  try {
    playwright = await import('@playwright/test');
  } catch (e) {
    throw new ReplayError(`tlab replay drives Chromium with Playwright, which is not installed here (npm install): ${(e as Error).message}`);
  }
  const browser = await playwright.chromium.launch({ executablePath: o.chromium, args: CHROMIUM_ARGS, headless: !o.headed });
  const close = () => void browser.close().catch(() => undefined);
  o.signal.addEventListener('abort', close, { once: true });
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' });
    if (o.backend) {
      // The app's backend picker keeps its choice here (app/compute/useComputeBackend.ts).
      await context.addInitScript((b: string) => localStorage.setItem('tlab.compute.backend', b), o.backend);
    }
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const url = new URL(o.siteUrl);
    url.searchParams.set('lab', o.lab);
    url.searchParams.set('spec', o.spec);
    url.searchParams.set('run', '1');
    const t0 = performance.now();
    o.log(`opening ${o.lab} lab in Chromium ${browser.version()}${o.headed ? ' (headed)' : ''}`);
    await page.goto(url.href);
    // Progress: the lab's own status line, echoed when it changes, until the idle hook says the run is over.
    let last = '';
    const ticker = setInterval(() => {
      void page
        .evaluate(() => document.querySelector('[role="progressbar"], [data-testid$="-progress"], [data-testid$="run-status"]')?.textContent ?? '')
        .then((text) => {
          const t = text.replace(/\s+/g, ' ').trim().slice(0, 160);
          if (t && t !== last) o.log(t);
          last = t;
        })
        .catch(() => undefined);
    }, 1000);
    try {
      await Promise.race([
        page.waitForFunction(() => window.__tlab?.labResults() !== null || document.querySelector('[data-testid$="run-failed"], [data-testid$="url-spec-error"]') !== null, undefined, { timeout: o.timeoutMs, polling: 500 }),
        new Promise((_, reject) => o.signal.addEventListener('abort', () => reject(new ReplayError('stopped')), { once: true })),
      ]);
      await page.evaluate(() => window.__tlab.waitForIdle());
    } catch (e) {
      if (e instanceof ReplayError) throw e;
      throw new ReplayError(`the run did not finish within ${Math.round(o.timeoutMs / 1000)} s${problems.length ? ` (page errors: ${problems.join('; ')})` : ''}`);
    } finally {
      clearInterval(ticker);
    }
    const failed = await page.evaluate(() => document.querySelector('[data-testid$="run-failed"], [data-testid$="url-spec-error"]')?.textContent ?? null);
    if (failed) throw new ReplayError(`the lab did not run the spec: ${failed.replace(/\s+/g, ' ').trim()}`);
    const got = await page.evaluate(() => window.__tlab.labResults());
    if (!got || got.lab !== o.lab) throw new ReplayError(`the page has no ${o.lab} results`);
    const seconds = (performance.now() - t0) / 1000;
    const backendText = await page.evaluate(() => document.querySelector('[data-testid$="-backend"]')?.textContent?.trim() ?? '');
    const charts: { id: string; title: string; png: Buffer }[] = [];
    for (const id of await page.evaluate(() => window.__tlab.chartIds())) {
      const card = page.getByTestId(`chart-${id}`);
      if ((await card.count()) !== 1 || !(await card.isVisible())) continue;
      await card.scrollIntoViewIfNeeded();
      const title = (await card.locator('h3').first().textContent().catch(() => null))?.trim() ?? id;
      charts.push({ id, title, png: await card.screenshot() });
    }
    const shot = await page.screenshot({ fullPage: true });
    return { results: got.results, charts, page: shot, browserVersion: browser.version(), backendText, seconds };
  } finally {
    o.signal.removeEventListener('abort', close);
    await browser.close().catch(() => undefined);
  }
}
