import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, test } from './support.ts';

const run = promisify(execFile);
const root = new URL('../', import.meta.url).pathname;

/**
 * The small variant of each seed replay (replays/ci/), replayed by `tlab replay` in Chromium on the built site, on
 * the page's engine backend, against `tlab run` in Node on the same spec: every figure must agree (the engine's
 * kernels are the same in both, so trained figures too), and the report must carry the figures.
 */
for (const name of ['vpals-figure6-small', 'kernel-oracle2-table-small', 'seed-lstm-figure2-small', 'cwd-table2-small']) {
  test(`tlab replay replays/ci/${name}.json agrees with tlab run`, async ({ baseURL }) => {
    test.setTimeout(400_000);
    const out = `${root}e2e/artifacts/replays/${name}`;
    const { stderr } = await run(process.execPath, [`${root}collector-cli/bin/tlab.js`, 'replay', `${root}replays/ci/${name}.json`, '--url', baseURL!, '--backend', 'engine', '--check-node', '--out', out, '--timeout', '300'], {
      timeout: 380_000,
      maxBuffer: 1 << 24,
    });
    expect(stderr).toMatch(/browser and Node agree: \d+ figures/);
    const table = JSON.parse(readFileSync(`${out}/headline.json`, 'utf8')) as { rows: unknown[]; comparison: { ok: boolean; missing: string[]; differences: { ok: boolean | null }[] } };
    expect(table.rows.length).toBeGreaterThan(2);
    expect(table.comparison.ok).toBe(true);
    expect(table.comparison.missing).toEqual([]);
    // On the engine's kernels nothing is left unjudged, the fingerprint lab's boosted trees included.
    expect(table.comparison.differences.filter((d) => d.ok === null)).toEqual([]);
    const charts = readdirSync(`${out}/charts`).filter((f) => f.endsWith('.png'));
    expect(charts.length).toBeGreaterThan(0);
    const report = readFileSync(`${out}/report.html`, 'utf8');
    expect(report).toContain('Every judged figure agrees');
    for (const c of charts) expect(report).toContain(`charts/${c}`);
    expect(existsSync(`${out}/results.json`) && existsSync(`${out}/spec.json`)).toBe(true);
  });
}
