import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { dropFiles, expect, test, waitForIdle } from './support.ts';

// Issue 14: a spec file — a lab's export or one from replays/ — loads into any lab's form, by "Load spec…" or by
// dropping it on the page; one that is not a valid spec is refused naming the field.
const replay = (name: string) => JSON.parse(readFileSync(new URL(`../replays/ci/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** The spec the address bar carries now (the lab keeps it equal to the form's). */
async function urlSpec(page: Page): Promise<Record<string, unknown>> {
  const raw = new URL(page.url()).searchParams.get('spec');
  expect(raw, 'the address bar carries the spec').not.toBeNull();
  return JSON.parse(raw!) as Record<string, unknown>;
}

const bytes = (json: unknown) => new TextEncoder().encode(JSON.stringify(json));

test('every lab loads a spec file from the button and from a drop, and refuses a bad one naming the field', async ({ page }) => {
  const cases = [
    { lab: 'sched', spec: replay('kernel-oracle2-table-small.json') },
    { lab: 'forecast', spec: replay('seed-lstm-figure2-small.json') },
    { lab: 'verified', spec: replay('vpals-figure6-small.json') },
    { lab: 'fingerprint', spec: replay('cwd-table2-small.json') },
  ];
  for (const { lab, spec } of cases) {
    await page.goto(`./?lab=${lab}`);
    await waitForIdle(page);
    // A seed the form does not start with, so the form's spec can only have it from the file.
    const chosen = { ...spec, seed: 4242 };
    await page.getByTestId(`${lab}-spec-file`).setInputFiles({ name: `${lab}-chosen.json`, mimeType: 'application/json', buffer: Buffer.from(bytes(chosen)) });
    await waitForIdle(page);
    await expect(page.getByTestId(`${lab}-spec-import-error`)).toHaveCount(0);
    await expect.poll(async () => (await urlSpec(page)).seed, `${lab}: the chosen file's seed is in the form`).toBe(4242);

    await dropFiles(page, [{ name: `${lab}-dropped.json`, bytes: bytes({ ...spec, seed: 4343 }) }]);
    await waitForIdle(page);
    await expect.poll(async () => (await urlSpec(page)).seed, `${lab}: the dropped file's seed is in the form`).toBe(4343);

    await page.getByTestId(`${lab}-spec-file`).setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bytes({ ...spec, seed: 'seven' })) });
    await expect(page.getByTestId(`${lab}-spec-import-error`)).toContainText('seed');
    await expect(page.getByTestId(`${lab}-spec-import-error`)).not.toContainText('"code"');
    // The refused file changed nothing.
    expect((await urlSpec(page)).seed).toBe(4343);

    await page.getByTestId(`${lab}-spec-file`).setInputFiles({ name: 'not-json.json', mimeType: 'application/json', buffer: Buffer.from('{ nope') });
    await expect(page.getByTestId(`${lab}-spec-import-error`)).toContainText('not-json.json is not JSON');
  }
});
