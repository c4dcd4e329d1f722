import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { test as base, expect, type Page } from '@playwright/test';
import { readBundle, type Bundle } from '../core/bundle/index.ts';

/**
 * Playwright's test, with every page watched for Content-Security-Policy violations (the built site ships a strict
 * policy, scripts/csp.ts): a blocked script, style, worker, fetch or eval fails the test that caused it. The
 * page's `securitypolicyviolation` events are collected by an init script; the browser's own console report
 * ("... violates the following Content Security Policy directive ...") catches the rest.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ page }, use) => {
      const seen: string[] = [];
      await page.exposeBinding('__tlabCspViolation', (_source, text: string) => void seen.push(text));
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          const w = window as unknown as { __tlabCspViolation?: (t: string) => void };
          w.__tlabCspViolation?.(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
        });
      });
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) seen.push(`console: ${m.text()}`);
      });
      await use(seen);
      expect(seen, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

const root = new URL('../', import.meta.url);
export const SCREENSHOTS = new URL('e2e/artifacts/screenshots/', root).pathname;
mkdirSync(SCREENSHOTS, { recursive: true });

export interface DemoEntry {
  file: string;
  title: string;
  bytes: number;
}

export function demoIndex(): DemoEntry[] {
  return JSON.parse(readFileSync(new URL('public/datasets/index.json', root), 'utf8')) as DemoEntry[];
}

export function demoBytes(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`public/datasets/${file}`, root)));
}

export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`fixtures/${path}`, root)));
}

/** The same bundle read in Node by the same core code: the truth the charts are checked against. */
export async function readInNode(bytes: Uint8Array): Promise<Bundle> {
  const r = await readBundle(bytes);
  if (!r.ok) throw new Error(`cannot read bundle in node: ${JSON.stringify(r.error)}`);
  return r.bundle;
}

export async function waitForIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof window.__tlab?.waitForIdle === 'function');
  await page.evaluate(() => window.__tlab.waitForIdle());
}

export async function chartData(page: Page, id: string) {
  return page.evaluate((chartId) => window.__tlab.chartData(chartId), id);
}

/** Drops files on the page the way a desktop drag does: dragenter, dragover, drop with a real DataTransfer. */
export async function dropFiles(page: Page, files: readonly { name: string; bytes: Uint8Array }[]): Promise<void> {
  const payload = files.map((f) => ({ fileName: f.name, data: Buffer.from(f.bytes).toString('base64') }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const { fileName, data } of items) {
      const raw = atob(data);
      const buf = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
      dt.items.add(new File([buf], fileName, { type: 'application/octet-stream' }));
    }
    return dt;
  }, payload);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
}

export function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  return dropFiles(page, [{ name, bytes }]);
}
