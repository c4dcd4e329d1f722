import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from './columns.ts';
import { BenchSection, Manifest } from './manifest.ts';
import { readBundle } from './reader.ts';
import { buildTable } from './table-builder.ts';
import { TABLE_SPECS } from './tables.ts';
import { FORMAT_VERSION, MANIFEST_SCHEMA_ID } from './version.ts';
import { writeBundle } from './writer.ts';

// Format 1.1: the latency table and the manifest's bench section (what `tlab bench` writes) survive a write and a read.

const bench: BenchSection = {
  generator: { name: 'tlab bench', version: '0.1.0' },
  intervalNs: 500_000_000,
  theta: 5,
  seed: 7,
  service: { name: 'redis', program: 'redis-server', version: 'Redis server v=7.0.15', address: '127.0.0.1:6390' },
  client: { kind: 'closed-loop', connections: 4, request: 'get: GET of one of 1000 keys', completedRequests: 30, errors: 1 },
  configurations: [
    { id: 'redis/get/none-0', service: 'redis', requestMix: 'get', interference: { kind: 'none', level: 0, workers: 0 }, startNs: 500_000_000, endNs: 1_500_000_000, requests: 30, errors: 0, serverRequests: 30 },
    {
      id: 'redis/get/cpu-2',
      service: 'redis',
      requestMix: 'get',
      interference: { kind: 'cpu', level: 2, workers: 2, command: ['stress-ng', '--cpu', '2'] },
      startNs: 2_000_000_000,
      endNs: 2_500_000_000,
      requests: 0,
      errors: 1,
      serverRequests: null,
    },
  ],
};

const manifest = {
  $schema: MANIFEST_SCHEMA_ID as typeof MANIFEST_SCHEMA_ID,
  formatVersion: FORMAT_VERSION,
  producer: { name: 'tlab', version: '0.1.0' },
  createdAt: '2025-01-01T00:00:00.000Z',
  host: { hostname: null, kernel: '6.1.0', arch: 'x86_64', cpuCount: 2, memoryBytes: 1 << 30 },
  clock: { domain: 'monotonic' as const, unit: 'ns' as const, originUnixNs: '1735689600000000000' },
  workload: {
    label: 'redis under interference',
    command: null,
    startNs: 0,
    endNs: 3_000_000_000,
    exit: null,
    group: { kind: 'cgroup' as const, path: '/sys/fs/cgroup/tlab-bench-redis', note: "the service's own cgroup" },
  },
  sources: { bench: { status: 'ok' as const, settings: { services: ['redis'] }, tables: ['latency'] } },
  bench,
};

const rows = [
  { ts_ns: 1_000_000_000, interval_ns: 500_000_000, service: 'redis', config: 'redis/get/none-0', requests: 12, errors: 0, throughput_rps: 24, mean_us: 80.5, p50_us: 70, p99_us: 300, max_us: 310 },
  { ts_ns: 1_500_000_000, interval_ns: 500_000_000, service: 'redis', config: 'redis/get/none-0', requests: 18, errors: 0, throughput_rps: 36, mean_us: 90, p50_us: 75, p99_us: 420.25, max_us: 500 },
  { ts_ns: 2_500_000_000, interval_ns: 500_000_000, service: 'redis', config: 'redis/get/cpu-2', requests: 0, errors: 1, throughput_rps: 0, mean_us: null, p50_us: null, p99_us: null, max_us: null },
];

describe('bundle format 1.1: latency table and bench section', () => {
  it('is in the format this code writes (1.1.0 or later)', () => {
    const [major, minor] = FORMAT_VERSION.split('.').map(Number) as [number, number];
    expect(major * 1000 + minor).toBeGreaterThanOrEqual(1001);
  });

  it('a latency table and a bench section read back unchanged, nulls included', async () => {
    const bytes = writeBundle({ manifest, tables: { latency: buildTable('latency', rows) } });
    const r = await readBundle(bytes);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const { bundle } = r;
    expect(bundle.warnings).toEqual([]);
    expect(bundle.manifest.bench).toEqual(bench);
    expect(bundle.manifest.sources.bench?.status).toBe('ok');
    expect(bundle.manifest.tables.latency).toEqual({ path: 'tables/latency.arrow', rows: 3 });
    const t = bundle.tables.latency!;
    expect(t.schema.fields.map((f) => f.name)).toEqual(TABLE_SPECS.latency.columns.map((c) => c.name));
    for (const c of TABLE_SPECS.latency.columns) {
      if (c.kind === 'dict') {
        const { codes, values } = dictColumn(t, c.name);
        expect(Array.from(codes, (k) => values[k]), c.name).toEqual(rows.map((row) => row[c.name as keyof (typeof rows)[0]]));
      } else {
        const want = rows.map((row) => row[c.name as keyof (typeof rows)[0]] ?? Number.NaN);
        expect(Array.from(numberColumn(t, c.name)), c.name).toEqual(want);
      }
    }
  });

  it('refuses a latency row without its required columns, and a configuration that ends before it starts', () => {
    expect(() => buildTable('latency', [{ ...rows[0]!, requests: null }])).toThrow(/requests may not be null/);
    const bad = { ...bench, configurations: [{ ...bench.configurations[0]!, endNs: 1 }] };
    const parsed = Manifest.safeParse({ ...manifest, tables: {}, bench: bad });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['bench', 'configurations', 0, 'endNs']);
  });

  it('a 1.0 bundle (no bench section, no latency table) still reads', async () => {
    const demo = new Uint8Array(readFileSync(new URL('../../fixtures/bundles/format-1.0-sysbench-cpu.tlab', import.meta.url)));
    const r = await readBundle(demo);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.bundle.manifest.formatVersion).toBe('1.0.0');
    expect(r.bundle.manifest.bench).toBeUndefined();
    expect(r.bundle.tables.latency).toBeUndefined();
  });
});
