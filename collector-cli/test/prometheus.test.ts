import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../../core/bundle/index.ts';
import { readBack, runTlab, tempDir } from './helpers.ts';

// A real Prometheus scraping a real node_exporter, both on loopback and started here.
const installed = spawnSync('sh', ['-c', 'command -v prometheus && command -v prometheus-node-exporter']).status === 0;
if (!installed) console.warn('prometheus tests cannot run: install Debian packages prometheus and prometheus-node-exporter (scripts/test-all.sh does, as root)');

const PROM = 'http://127.0.0.1:19390';
const children: ChildProcess[] = [];

async function waitFor(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function query(path: string): Promise<{ status: string; data: { result: { metric: Record<string, string>; values: [number, string][] }[] } }> {
  return (await (await fetch(`${PROM}${path}`)).json()) as never;
}

describe.skipIf(!installed)('tlab import --prometheus', () => {
  let start = 0;
  beforeAll(async () => {
    const dir = tempDir('tlab-prom-');
    writeFileSync(
      join(dir, 'prometheus.yml'),
      'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: node\n    static_configs:\n      - targets: ["127.0.0.1:19391"]\n',
    );
    children.push(spawn('prometheus-node-exporter', ['--web.listen-address=127.0.0.1:19391'], { stdio: 'ignore' }));
    children.push(
      spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, '--web.listen-address=127.0.0.1:19390'], { stdio: 'ignore' }),
    );
    start = Math.floor(Date.now() / 1000);
    // Enough scrapes for a rate over a few seconds.
    await waitFor(async () => (await query('/api/v1/query?query=count(node_cpu_seconds_total)')).data.result.length > 0, 'the first scrape');
    await new Promise((r) => setTimeout(r, 6000));
  }, 90_000);
  afterAll(() => children.forEach((c) => c.kill()));

  it('imports range queries as counters rows that match what Prometheus itself answers', async () => {
    const end = Math.floor(Date.now() / 1000);
    const out = join(tempDir(), 'prom.tlab');
    const expr = 'rate(node_cpu_seconds_total{mode="user"}[3s])';
    const run = await runTlab(['import', '--prometheus', PROM, '--query', `cpu_user=${expr}`, '--query', 'node_load1', '--start', String(start), '--end', String(end), '--step', '1', '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    const bundle = await readBack(out);
    expect(bundle.manifest.sources.prometheus?.status).toBe('ok');
    const t = bundle.tables.counters!;
    const truth = await query(`/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${start}&end=${end}&step=1`);
    const load = await query(`/api/v1/query_range?query=node_load1&start=${start}&end=${end}&step=1`);
    const expected = [...truth.data.result, ...load.data.result].reduce((n, s) => n + s.values.length, 0);
    expect(expected).toBeGreaterThan(0);
    expect(t.numRows).toBe(expected);
    const event = dictColumn(t, 'event');
    const names = new Set(Array.from(event.codes, (c) => event.values[c]!));
    // One series per CPU for the named query, labelled by cpu and mode; node_load1 keeps its metric name.
    expect([...names].filter((n) => n.startsWith('cpu_user{')).length).toBe(truth.data.result.length);
    expect(names.has('node_load1')).toBe(true);
    const v = numberColumn(t, 'value');
    const first = truth.data.result[0]!;
    const key = `cpu_user{cpu="${first.metric['cpu']}",mode="user"}`;
    const mine = Array.from(event.codes).map((c, i) => [event.values[c], v[i]] as const).filter(([n]) => n === key).map(([, x]) => x);
    expect(mine).toEqual(first.values.map(([, x]) => Number(x)));
  });

  it('says what Prometheus refused', async () => {
    const run = await runTlab(['import', '--prometheus', PROM, '--query', 'rate(', '-o', join(tempDir(), 'x.tlab')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Prometheus refused "rate\(": bad_data/);
  });

  it('says when the server is not Prometheus or not there', async () => {
    const run = await runTlab(['import', '--prometheus', 'http://127.0.0.1:19399', '--query', 'up', '-o', join(tempDir(), 'x.tlab')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot reach Prometheus at http:\/\/127.0.0.1:19399/);
  });
});
