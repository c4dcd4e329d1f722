import { readFileSync } from 'node:fs';
import { Type, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { buildOverview } from '../overview/build-overview.ts';
import { dictColumn, intColumn, numberColumn, secondsColumn, stringColumn } from './columns.ts';
import { readBundle, type Bundle } from './reader.ts';
import { rewriteBundle } from './rewrite.ts';
import { TableBuilder, type Row } from './table-builder.ts';
import { TABLE_SPECS, type TableName } from './tables.ts';
import { FORMAT_VERSION, MANIFEST_SCHEMA_ID } from './version.ts';
import { writeBundle } from './writer.ts';

async function mustRead(bytes: Uint8Array, keepRaw = false): Promise<Bundle> {
  const r = await readBundle(bytes, { keepRaw });
  if (!r.ok) throw new Error(`read failed: ${JSON.stringify(r.error)}`);
  return r.bundle;
}

const manifest = {
  $schema: MANIFEST_SCHEMA_ID as typeof MANIFEST_SCHEMA_ID,
  formatVersion: FORMAT_VERSION,
  producer: { name: 'compact.test', version: '0' },
  createdAt: '2026-12-05T00:00:00.000Z',
  host: { hostname: null, kernel: '6.1.0', arch: 'x86_64', cpuCount: 2, memoryBytes: 1 << 30 },
  clock: { domain: 'monotonic' as const, unit: 'ns' as const, originUnixNs: '1735689600000000000' },
  workload: { label: 'compact layout', command: null, startNs: 0, endNs: 3_000_000_000, exit: null, group: { kind: 'cgroup' as const, path: '/sys/fs/cgroup/test', note: 'test' } },
  sources: { sched: { status: 'ok' as const, settings: {}, tables: ['sched'] } },
};

/** Each column's values as the app reads them: numbers (NaN for null) or strings (null for null). */
function values(t: Table, name: TableName): unknown[][] {
  return TABLE_SPECS[name].columns.map((c) =>
    c.kind === 'dict' || c.kind === 'utf8' ? stringColumn(t, c.name) : Array.from(numberColumn(t, c.name), (v) => (Number.isNaN(v) ? 'null' : v)),
  );
}

const NULL = -2147483648;

/** Index of the first differing value, or -1 (deep equality on 10^5 values is slow). */
function firstDifference(n: number, a: (i: number) => unknown, b: (i: number) => unknown): number {
  for (let i = 0; i < n; i++) if (a(i) !== b(i)) return i;
  return -1;
}

const typeOf = (t: Table, column: string) => t.schema.fields.find((f) => f.name === column)!.type;
const indexBits = (t: Table, column: string) => (typeOf(t, column) as unknown as { indices: { bitWidth: number } }).indices.bitWidth;

describe('the compact layout (format 1.2)', () => {
  // Every column kind and null pattern of the sched table: never null (ts_ns, cpu, event), sometimes null,
  // null in every row (parent_pid), i16 values at both ends of int16's range, an i16 column with a value beyond it
  // (stays Int32), dictionaries of 7 words (Int8 codes), 300 words (Int16) and 40,000 words (Int32).
  const n = 40_000;
  const events = ['sched_switch', 'sched_wakeup', 'sched_waking', 'sched_migrate_task', 'sched_process_fork', 'sched_process_exit', 'sched_process_exec'];
  const rows: Row[] = Array.from({ length: n }, (_, i) => ({
    ts_ns: 1_000_000_000 + i * 12_345 + (i % 7 === 0 ? 2 ** 40 : 0),
    cpu: i % 3 === 0 ? 32767 : i % 5,
    event: events[i % events.length],
    common_pid: i % 11 === 0 ? null : i * 97,
    prev_pid: i % 2 ? null : 4_194_303 - i,
    prev_comm: i % 2 ? null : `comm-${i % 300}`,
    prev_prio: i % 2 ? null : i % 4 === 0 ? -32768 : 120,
    prev_state: i % 2 ? null : ['R', 'S', 'D', 'R+'][i % 4],
    next_pid: i % 2 ? null : i % 9,
    next_comm: i % 2 ? null : `next-${i % 9}`,
    next_prio: i % 2 ? null : 139,
    target_pid: i % 2 ? i : null,
    target_comm: i % 10 === 0 ? null : `unique-${i}`,
    target_prio: i === 17 ? 40_000 : i % 2 ? 100 : null,
    target_cpu: i % 4 === 1 ? 1 : null,
    orig_cpu: i % 8 === 3 ? 0 : null,
    parent_pid: null,
  }));
  const built = (() => {
    const b = new TableBuilder('sched');
    for (const r of rows) b.push(r);
    return b.finish();
  })();

  it('writes narrow types and reads back every value and null unchanged', async () => {
    const bundle = await mustRead(writeBundle({ manifest, tables: { sched: built } }));
    const t = bundle.tables.sched!;
    expect(bundle.manifest.formatVersion).toBe(FORMAT_VERSION);
    for (const c of ['cpu', 'prev_prio', 'next_prio', 'target_cpu', 'orig_cpu']) expect(String(typeOf(t, c)), c).toBe('Int16');
    // 40,000 does not fit int16: that column stays Int32, which every reader takes.
    expect(String(typeOf(t, 'target_prio'))).toBe('Int32');
    expect(indexBits(t, 'event')).toBe(8);
    expect(indexBits(t, 'prev_state')).toBe(8);
    expect(indexBits(t, 'prev_comm')).toBe(16);
    expect(indexBits(t, 'target_comm')).toBe(32);
    expect(values(t, 'sched')).toEqual(values(built, 'sched'));
    expect(t.getChild('parent_pid')!.nullCount).toBe(n);
    expect(dictColumn(t, 'prev_comm')).toEqual(dictColumn(built, 'prev_comm'));
  });

  it('intColumn and secondsColumn read what numberColumn reads, in either layout', async () => {
    const compact = (await mustRead(writeBundle({ manifest, tables: { sched: built } }))).tables.sched!;
    for (const t of [built, compact]) {
      for (const c of ['cpu', 'next_pid', 'prev_prio', 'target_prio', 'parent_pid']) {
        const want = numberColumn(t, c);
        const got = intColumn(t, c, NULL);
        expect(firstDifference(t.numRows, (i) => got[i], (i) => (Number.isNaN(want[i]!) ? NULL : want[i])), c).toBe(-1);
      }
      const start = 123_456_789;
      const ns = numberColumn(t, 'ts_ns');
      const s = secondsColumn(t, 'ts_ns', start);
      expect(firstDifference(t.numRows, (i) => s[i], (i) => (ns[i]! - start) / 1e9)).toBe(-1);
    }
    // The CPUs of a compact table are read where they lie, not copied.
    expect(intColumn(compact, 'cpu', -1)).toBeInstanceOf(Int16Array);
  });

  it('an empty table stays empty', async () => {
    const bundle = await mustRead(writeBundle({ manifest, tables: { sched: new TableBuilder('sched').finish() } }));
    expect(bundle.tables.sched!.numRows).toBe(0);
  });
});

describe('rewriting an older bundle (tlab migrate)', () => {
  // Recordings that stay in the old layout in the repository: a 1.1 dataset and the 1.0 demo as it was.
  const file = new URL('../../public/datasets/sched/sysbench-memory-2.tlab', import.meta.url);
  const olds = [
    [file, '1.1.0'],
    [new URL('../../fixtures/bundles/format-1.0-sysbench-cpu.tlab', import.meta.url), '1.0.0'],
  ] as const;

  it.each(olds)('gives a bundle in the current format with the same manifest, tables, raw captures and overview (%s)', async (url, version) => {
    const old = await mustRead(new Uint8Array(readFileSync(url)), true);
    expect(old.manifest.formatVersion).toBe(version);
    const bytes = rewriteBundle(old);
    const again = await mustRead(bytes, true);
    expect(again.manifest.formatVersion).toBe(FORMAT_VERSION);
    expect({ ...again.manifest, formatVersion: old.manifest.formatVersion }).toEqual(old.manifest);
    expect([...again.raw.keys()]).toEqual([...old.raw.keys()]);
    for (const [path, data] of old.raw) expect(again.raw.get(path)).toEqual(data);
    const sched = again.tables.sched!;
    expect(sched.numRows).toBeGreaterThan(0);
    expect(String(typeOf(sched, 'cpu'))).toBe('Int16');
    expect(typeOf(sched, 'event').typeId).toBe(Type.Dictionary);
    for (const [name, table] of Object.entries(old.tables) as [TableName, Table][]) {
      expect(values(again.tables[name]!, name), name).toEqual(values(table, name));
    }
    expect(buildOverview(again)).toEqual(buildOverview(old));
  });

  it('keeps raw captures byte for byte (no committed bundle has any, so one is written here)', async () => {
    const data = new TextEncoder().encode('12:00:00.000001 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3 <0.000010>\n');
    const raw = [{ name: 'strace.log', source: 'strace', description: 'strace -f -T -tt output', data }];
    const bytes = writeBundle({ manifest: { ...manifest, formatVersion: '1.1.0' }, tables: { sched: new TableBuilder('sched').finish() }, raw });
    const again = await mustRead(rewriteBundle(await mustRead(bytes, true)), true);
    expect(again.manifest.raw).toEqual([{ path: 'raw/strace.log', source: 'strace', description: 'strace -f -T -tt output', bytes: data.byteLength }]);
    expect(again.raw.get('raw/strace.log')).toEqual(data);
  });

  it('refuses rather than drops raw captures it was not given', async () => {
    const raw = [{ name: 'strace.log', source: 'strace', description: 'strace output', data: new Uint8Array([1, 2, 3]) }];
    const bytes = writeBundle({ manifest, tables: { sched: new TableBuilder('sched').finish() }, raw });
    const withoutRaw = await mustRead(bytes, false);
    expect(() => rewriteBundle(withoutRaw)).toThrow(/keepRaw/);
  });
});
