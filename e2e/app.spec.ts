import { createServer, type Server } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { dictColumn, numberColumn } from '../core/bundle/index.ts';
import { corruptionsOf } from '../core/bundle/testing/corruptions.ts';
import { importCapture } from '../core/importers/capture-to-bundle.ts';
import { SCREENSHOTS, chartData, demoBytes, demoIndex, dropFile, dropFiles, expect, fixtureBytes, readInNode, test, waitForIdle } from './support.ts';

const demos = demoIndex();
const first = demos[0]!;
const second = demos[1] ?? demos[0]!;
// Damaged copies are made from the smallest demo: the errors are the same and the test is quicker.
const smallest = [...demos].sort((a, b) => demoBytes(a.file).byteLength - demoBytes(b.file).byteLength)[0]!;
// The slow link needs a bundle that takes seconds at 16 KiB per 100 ms (the first demo is the lightest, 45 KB).
const largest = [...demos].sort((a, b) => demoBytes(b.file).byteLength - demoBytes(a.file).byteLength)[0]!;

test('opens a demo bundle from the URL and charts its real data', async ({ page }) => {
  const bundle = await readInNode(demoBytes(first.file));
  await page.goto(`./?demo=${encodeURIComponent(first.file)}`);
  await waitForIdle(page);
  await expect(page.getByTestId('workload-label')).toHaveText(bundle.manifest.workload.label);

  for (const [name, table] of Object.entries(bundle.tables)) {
    await expect(page.getByTestId(`rows-${name}`)).toHaveText(table!.numRows.toLocaleString('en-US'));
  }
  for (const name of Object.keys(bundle.manifest.sources)) {
    await expect(page.getByTestId(`source-${name}`)).toContainText(bundle.manifest.sources[name as 'proc']!.status);
  }

  // Syscalls by name: the bars must be exactly the top counts computed from the table.
  const sys = bundle.tables.syscalls;
  if (sys && sys.numRows > 0) {
    const kind = dictColumn(sys, 'kind');
    const name = dictColumn(sys, 'name');
    const counts = new Map<string, number>();
    for (let i = 0; i < sys.numRows; i++) {
      if (kind.values[kind.codes[i]!] !== 'syscall') continue;
      const n = name.values[name.codes[i]!]!;
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    const expected = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10);
    const [bars] = (await chartData(page, 'syscalls-top'))!;
    const shown = bars!.categories!.map((c, i) => [c, bars!.data[i]] as const).reverse();
    expect(shown.map(([, v]) => v)).toEqual(expected.map(([, v]) => v));
    expect(new Set(shown.map(([c]) => c))).toEqual(new Set(expected.map(([c]) => c)));
  }

  // Group CPU: one point per group sample (nothing is lost below the display limit), same values.
  const samples = bundle.tables.samples;
  if (samples) {
    const scope = dictColumn(samples, 'scope');
    const user = numberColumn(samples, 'cpu_user_s');
    const sysT = numberColumn(samples, 'cpu_system_s');
    const interval = numberColumn(samples, 'interval_ns');
    const group: number[] = [];
    for (let i = 0; i < samples.numRows; i++) {
      if (scope.values[scope.codes[i]!] === 'group') group.push((user[i]! + sysT[i]!) / (interval[i]! / 1e9));
    }
    const series = (await chartData(page, 'usage-cpu'))!;
    const g = series.find((s) => s.name === 'group')!;
    const ys = (g.data as [number, number][]).map(([, y]) => y);
    const finite = group.filter((v) => Number.isFinite(v));
    if (finite.length <= 1500) {
      expect(ys.length).toBe(finite.length);
      ys.forEach((y, i) => expect(y).toBeCloseTo(finite[i]!, 6));
    }
  }

  // Scheduling: one busy line per CPU seen in the trace.
  const sched = bundle.tables.sched;
  if (sched && sched.numRows > 0) {
    const cpus = new Set(Array.from(numberColumn(sched, 'cpu')));
    expect((await chartData(page, 'sched-busy'))!.length).toBe(cpus.size);
  }
  await page.screenshot({ path: `${SCREENSHOTS}overview-${first.file}.png`, fullPage: true });
});

test('a bundle dropped on the window opens', async ({ page }) => {
  const bytes = demoBytes(second.file);
  const bundle = await readInNode(bytes);
  await page.goto('./');
  await expect(page.getByTestId('welcome')).toBeVisible();
  await dropFile(page, second.file, bytes);
  await waitForIdle(page);
  await expect(page.getByTestId('workload-label')).toHaveText(bundle.manifest.workload.label);
  const ids = await page.evaluate(() => window.__tlab.chartIds());
  expect(ids.length).toBeGreaterThan(3);
  for (const id of ids) {
    const series = (await chartData(page, id))!;
    expect(series.some((s) => s.data.length > 0), `chart ${id} has data`).toBe(true);
  }
});

test('bad files show a specific error and lose nothing', async ({ page }) => {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && !m.text().includes('Failed to load resource') && problems.push(`console: ${m.text()}`));
  page.on('crash', () => problems.push('page crashed'));
  const good = demoBytes(smallest.file);
  const bundle = await readInNode(good);
  await page.goto(`./?demo=${encodeURIComponent(smallest.file)}`);
  await waitForIdle(page);
  const straceLog = { name: 'strace-f-cargo-run.log', bytes: fixtureBytes('strace/strace-f-cargo-run.log') };
  // A gzipped capture is not a bundle for the reader (not-a-zip), but the app's one way in decompresses and imports
  // it (issue 12): that case is checked after the refusals.
  const gzipped = corruptionsOf(good, straceLog).find((c) => c.name.endsWith('.gz'))!;
  const cases = [
    ...corruptionsOf(good, straceLog).filter((c) => c !== gzipped && !c.name.endsWith('.gz')),
    { name: 'lfs-pointer.tlab', expect: 'lfs-pointer' as const, bytes: fixtureBytes('bundles/lfs-pointer.tlab') },
  ];
  const titles: Record<string, RegExp> = {
    'empty-file': /empty/i,
    'not-a-zip': /not a telemetry lab bundle/i,
    'zip-truncated': /truncated/i,
    'no-manifest': /no manifest/i,
    'manifest-invalid': /manifest is invalid/i,
    'unsupported-version': /newer version/i,
    'table-missing': /missing/i,
    'table-corrupt': /corrupt/i,
    'lfs-pointer': /git lfs pointer/i,
  };
  for (const c of cases) {
    await page.getByTestId('file-input').setInputFiles({ name: c.name, mimeType: 'application/octet-stream', buffer: Buffer.from(c.bytes) });
    const error = page.getByTestId('load-error');
    await expect(error).toHaveAttribute('data-error-kind', c.expect);
    await expect(page.getByTestId('load-error-title')).toHaveText(titles[c.expect]!);
    // The bundle that was open stays open.
    await expect(page.getByTestId('workload-label')).toHaveText(bundle.manifest.workload.label);
    if (c.name === 'manifest-bad-field.tlab') await expect(page.getByTestId('load-error-detail')).toContainText('$.host.cpuCount');
    if (c.name === 'truncated-half.tlab') await page.screenshot({ path: `${SCREENSHOTS}error-truncated.png` });
  }
  expect(problems).toEqual([]);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('load-error')).toHaveCount(0);
  // Still usable: another bundle opens.
  await dropFile(page, second.file, demoBytes(second.file));
  await waitForIdle(page);
  await expect(page.getByTestId('workload-label')).toHaveText((await readInNode(demoBytes(second.file))).manifest.workload.label);
  // A gzipped capture is decompressed and imported.
  await page.getByTestId('file-input').setInputFiles({ name: gzipped.name, mimeType: 'application/gzip', buffer: Buffer.from(gzipped.bytes) });
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('strace');
  await expect(page.getByTestId('load-error')).toHaveCount(0);
});

test('a chart exports as PNG, a table as CSV, and the bundle as a Perfetto trace', async ({ page }) => {
  const bundle = await readInNode(demoBytes(first.file));
  await page.goto(`./?demo=${encodeURIComponent(first.file)}`);
  await waitForIdle(page);
  const png = page.waitForEvent('download');
  await page.getByTestId('chart-usage-cpu').getByRole('button', { name: 'PNG' }).click();
  const pngBytes = readFileSync((await (await png).path())!);
  expect(Array.from(pngBytes.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);

  const [tableName, table] = Object.entries(bundle.tables).sort((a, b) => a[1]!.numRows - b[1]!.numRows)[0]!;
  const csv = page.waitForEvent('download');
  await page.getByTestId(`table-row-${tableName}`).getByRole('button', { name: 'CSV' }).click();
  const download = await csv;
  expect(download.suggestedFilename()).toMatch(new RegExp(`-${tableName}\\.csv$`));
  const text = readFileSync((await download.path())!, 'utf8');
  const lines = text.trimEnd().split('\n');
  expect(lines[0]!.split(',')).toEqual(table!.schema.fields.map((f) => f.name));
  expect(lines.length - 1).toBe(table!.numRows);

  // The same trace `tlab export --perfetto` writes (checked event by event in the CLI tests), built in the worker.
  const trace = page.waitForEvent('download');
  await page.getByTestId('export-perfetto').click();
  const traceFile = await trace;
  expect(traceFile.suggestedFilename()).toBe(first.file.replace(/\.tlab$/, '.perfetto.json'));
  const parsed = JSON.parse(readFileSync((await traceFile.path())!, 'utf8')) as { traceEvents: { ph: string; name: string; args?: { name?: string } }[] };
  expect(parsed.traceEvents.some((e) => e.ph === 'M' && e.args?.name === 'CPUs')).toBe(true);
  expect(parsed.traceEvents.filter((e) => e.ph === 'X').length).toBeGreaterThan(1000);
});

test('dark theme reaches the charts', async ({ page }) => {
  await page.goto(`./?demo=${encodeURIComponent(first.file)}`);
  await waitForIdle(page);
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await waitForIdle(page);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(16, 19, 23)');
  expect((await chartData(page, 'usage-cpu'))!.length).toBeGreaterThan(0);
  await page.screenshot({ path: `${SCREENSHOTS}overview-dark.png`, fullPage: true });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('an unknown demo name in the URL is refused with a message', async ({ page }) => {
  await page.goto('./?demo=..%2F..%2Fetc%2Fpasswd');
  await expect(page.getByRole('status').first()).toContainText('No demo bundle named');
  await expect(page.getByTestId('welcome')).toBeVisible();
});

// The hosted demo lives under a sub-path: the built site must not assume it is served from /. The same server
// also offers a bundle that arrives slowly, so cancelling a load can be tested without racing it.
test.describe('served under a sub-path', () => {
  let server: Server;
  let base = '';
  const dist = new URL('../dist/', import.meta.url).pathname;
  const prefix = '/some/sub/path/';
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm' };

  test.beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!url.pathname.startsWith(prefix)) return void res.writeHead(404).end();
      const rel = url.pathname.slice(prefix.length);
      if (rel === 'datasets/index.json') {
        const index = [...demos, { file: 'slow.tlab', title: 'A bundle on a slow link', description: 'the largest demo, sent 16 KiB every 100 ms' }];
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(index));
      }
      if (rel === 'datasets/slow.tlab') {
        const bytes = demoBytes(largest.file);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) });
        let off = 0;
        const timer = setInterval(() => {
          if (off >= bytes.byteLength || res.destroyed) {
            clearInterval(timer);
            return void res.end();
          }
          res.write(bytes.subarray(off, (off += 16 * 1024)));
        }, 100);
        res.on('close', () => clearInterval(timer));
        return;
      }
      let file = normalize(join(dist, rel || 'index.html'));
      if (!file.startsWith(dist)) return void res.writeHead(403).end();
      try {
        if (statSync(file).isDirectory()) file = join(file, 'index.html');
        res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}${prefix}`;
  });
  test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test('opens the first demo with ?demo', async ({ page }) => {
    await page.goto(`${base}?demo`);
    await waitForIdle(page);
    await expect(page.getByTestId('workload-label')).toBeVisible();
    expect((await chartData(page, 'usage-cpu'))!.length).toBeGreaterThan(0);
  });

  test('a slow load shows progress and can be cancelled', async ({ page }) => {
    await page.goto(`${base}?demo=slow.tlab`);
    const status = page.getByTestId('load-status');
    await expect(status).toContainText(/Reading .* of /);
    await page.screenshot({ path: `${SCREENSHOTS}loading-progress.png` });
    await page.getByTestId('cancel-load').click();
    await expect(page.getByTestId('load-error')).toHaveAttribute('data-error-kind', 'cancelled');
    await expect(status).toHaveCount(0);
    // And the page is still usable.
    await page.getByTestId(`demo-${second.file}`).click();
    await waitForIdle(page);
    await expect(page.getByTestId('workload-label')).toBeVisible();
  });
});

test('zooming one time chart zooms all of them and fetches the zoomed span at full detail', async ({ page }) => {
  await page.goto(`./?demo=${encodeURIComponent(first.file)}`);
  await waitForIdle(page);
  const full = (await chartData(page, 'usage-cpu'))!.find((s) => s.name === 'group')!.data as [number, number][];
  expect(await page.evaluate(() => window.__tlab.zoom('usage-cpu', 25, 50))).toBe(true);
  await waitForIdle(page);
  const xs = (full as [number, number][]).map(([x]) => x);
  const span = [Math.min(0, ...xs), Math.max(...xs)];
  const zoomed = (await chartData(page, 'usage-cpu'))!.find((s) => s.name === 'group')!.data as [number, number][];
  expect(zoomed.length).toBeLessThan(full.length);
  // Points inside the window, plus at most one neighbour on each side.
  const from = span[0]! + 0.25 * (span[1]! - span[0]!);
  const to = span[0]! + 0.5 * (span[1]! - span[0]!);
  const outside = zoomed.filter(([x]) => x < from || x > to).length;
  expect(outside).toBeLessThanOrEqual(2);
  // The ranking of calls follows the zoom too.
  const ids = await page.evaluate(() => window.__tlab.chartIds());
  if (ids.includes('syscalls-time')) {
    await expect(page.getByTestId('chart-syscalls-top')).toContainText('in the zoomed span');
  }
  await page.screenshot({ path: `${SCREENSHOTS}zoomed.png` });
});

test('an strace log or trace text dropped on the window is imported, charted and can be saved as a bundle', async ({ page }) => {
  await page.goto('./');
  const log = fixtureBytes('strace/strace-f-ttt-T-pipeline-threads.log');
  const { bundle } = await importCapture('pipeline.log', log);
  await dropFile(page, 'pipeline.log', log);
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('strace');
  await expect(page.getByTestId('rows-syscalls')).toHaveText(bundle.tables.syscalls!.numRows.toLocaleString('en-US'));
  const [bars] = (await chartData(page, 'syscalls-top'))!;
  expect((bars!.data as number[]).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  const saved = page.waitForEvent('download');
  await page.getByTestId('save-bundle').click();
  const file = readFileSync((await (await saved).path())!);
  const back = await readInNode(new Uint8Array(file));
  expect(back.tables.syscalls!.numRows).toBe(bundle.tables.syscalls!.numRows);

  await dropFile(page, 'hackbench.txt', fixtureBytes('ftrace/tracefs-hackbench.txt'));
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('ftrace');
  expect((await chartData(page, 'sched-busy'))!.length).toBeGreaterThan(0);
  await page.screenshot({ path: `${SCREENSHOTS}imported-ftrace.png`, fullPage: true });

  // An Android systrace export: the trace text inside a web page. grep -c: 715 sched_switch + 421 sched_wakeup.
  await dropFile(page, 'trace_surfaceflinger.html', fixtureBytes('systrace/trace_surfaceflinger.html'));
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('systrace');
  await expect(page.getByTestId('rows-sched')).toHaveText('1,136');
  // KernelOracle's CSV of two traces: the first one (447 rows) is opened and the other named in the notes.
  await dropFile(page, 'all.csv', fixtureBytes('kernel-oracle/hackbench-all.csv'));
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('kernel-oracle-csv');
  await expect(page.getByTestId('rows-sched')).toHaveText('447');
  // The source notes are in the folded source details (issue 13: the charts come first).
  await page.getByTestId('source-details').locator('summary').click();
  await expect(page.getByText(/Not imported: "hackbench_processes_run1" \(651 rows\)/)).toBeVisible();
  // The other trace of the same file, opened from the notice.
  await page.getByTestId('trace-select').selectOption('hackbench_processes_run1');
  await waitForIdle(page);
  await expect(page.getByTestId('rows-sched')).toHaveText('651');
  await expect(page.getByTestId('trace-select')).toHaveValue('hackbench_processes_run1');
});

test('the per-task files of strace -ff dropped together become one bundle', async ({ page }) => {
  await page.goto('./');
  const names = ['trace.7125', 'trace.7126', 'trace.7127', 'trace.7128', 'trace.7129', 'trace.7130'];
  await dropFiles(page, names.map((name) => ({ name, bytes: fixtureBytes(`strace/ff-tt-T/${name}`) })));
  await waitForIdle(page);
  await expect(page.getByTestId('imported-notice')).toContainText('strace -ff');
  // wc -l of the six files
  await expect(page.getByTestId('rows-syscalls')).toHaveText('773');
  // A mix that cannot go together is refused in words.
  await dropFiles(page, [
    { name: 'trace.7125', bytes: fixtureBytes('strace/ff-tt-T/trace.7125') },
    { name: 'hackbench.txt', bytes: fixtureBytes('ftrace/tracefs-hackbench.txt') },
  ]);
  await expect(page.getByTestId('load-error-detail')).toContainText('strace -ff per-task files');
  await expect(page.getByTestId('rows-syscalls')).toHaveText('773');
});
