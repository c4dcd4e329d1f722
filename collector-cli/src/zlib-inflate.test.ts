import { readFileSync } from 'node:fs';
import { tableToIPC } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { completeBundle, readBundle } from '../../core/bundle/index.ts';
import { unzipSync } from 'fflate';
import { buildZip, deflatedEntry, piecesEntry } from '../../core/bundle/testing/bombs.ts';
import { MANIFEST_PATH } from '../../core/bundle/version.ts';
import { useOneShotInflate, type OneShotInflate } from '../../core/bundle/unzip-stream.ts';
import { OVERVIEW_COLUMNS } from '../../core/overview/index.ts';
import { zlibInflateRaw } from './zlib-inflate.ts';

const datasets = new URL('../../public/datasets/', import.meta.url);
const load = (f: string) => new Uint8Array(readFileSync(new URL(f, datasets)));

/** zlib's one-shot inflate, counting what it was asked and what it answered. */
function counted() {
  const calls = { inflated: 0, tooLarge: 0 };
  const inflate: OneShotInflate = (c, max, expected) => {
    const out = zlibInflateRaw(c, max, expected);
    if (out === 'too-large') calls.tooLarge++;
    else calls.inflated++;
    return out;
  };
  return { calls, inflate };
}

afterEach(() => useOneShotInflate(null));

describe("zlib's one-shot inflate (what tlab reads bundles with)", () => {
  it('reads messaging.tlab to the same tables as DecompressionStream, every table entry in one call', async () => {
    const bytes = load('messaging.tlab');
    const stream = await readBundle(bytes);
    const { calls, inflate } = counted();
    useOneShotInflate(inflate);
    const zlib = await readBundle(bytes);
    if (!stream.ok || !zlib.ok) throw new Error('read failed');
    const entries = Object.values(zlib.bundle.manifest.tables).reduce((n, e) => n + (e?.path ? 1 : Object.keys(e?.columns ?? {}).length), 0);
    expect(calls).toEqual({ inflated: entries, tooLarge: 0 });
    for (const [name, t] of Object.entries(stream.bundle.tables)) {
      expect(Buffer.from(tableToIPC(zlib.bundle.tables[name as 'sched']!)).equals(Buffer.from(tableToIPC(t!))), name).toBe(true);
    }
    // Each table is inflated just before it is decoded, smallest first: the small tables are told (and drawn)
    // before a large table's columns are inflated.
    const order = counted();
    useOneShotInflate(order.inflate);
    const seen: string[] = [];
    await readBundle(bytes, { onTable: (name) => seen.push(`${name}@${order.calls.inflated}`) });
    // By rows: counters 360, psi 366, samples 4,920 (one file each), syscalls 97,297 (9 columns), sched 663,840 (17).
    expect(seen).toEqual(['counters@1', 'psi@2', 'samples@3', 'syscalls@12', 'sched@29']);
    // A projected read and its completion go the same way.
    const part = await readBundle(bytes, { columns: OVERVIEW_COLUMNS });
    if (!part.ok) throw new Error('read failed');
    const whole = await completeBundle(part.bundle);
    expect(Buffer.from(tableToIPC(whole.tables.sched!)).equals(Buffer.from(tableToIPC(stream.bundle.tables.sched!)))).toBe(true);
  });

  it('stops at the declared size: an entry that holds more goes to the streaming inflate, which reads a real table and refuses a bomb', async () => {
    const bytes = load('sysbench-cpu.tlab');
    const files = unzipSync(bytes);
    const manifest = deflatedEntry(MANIFEST_PATH, files[MANIFEST_PATH]!);
    const others = Object.keys(files).filter((n) => n !== MANIFEST_PATH && n !== 'tables/samples.arrow').map((n) => deflatedEntry(n, files[n]!));
    const samples = deflatedEntry('tables/samples.arrow', files['tables/samples.arrow']!);
    const whole = await readBundle(bytes);
    if (!whole.ok) throw new Error('read failed');

    // The real table, declared 100 bytes short: zlib stops there, the stream reads it all.
    let { calls, inflate } = counted();
    useOneShotInflate(inflate);
    const short = await readBundle(buildZip([manifest, { ...samples, size: samples.size - 100 }, ...others]));
    expect(calls.tooLarge).toBe(1);
    if (!short.ok) throw new Error(short.error.kind);
    expect(Buffer.from(tableToIPC(short.bundle.tables.samples!)).equals(Buffer.from(tableToIPC(whole.bundle.tables.samples!)))).toBe(true);

    // 3 GiB of zeros declared as 1,000 bytes: zlib stops at 1,000, the stream at the table's limit.
    ({ calls, inflate } = counted());
    useOneShotInflate(inflate);
    const bomb = { ...piecesEntry('tables/samples.arrow', [{ byte: 0, count: 3 * 2 ** 30 }]), size: 1000 };
    const r = await readBundle(buildZip([manifest, bomb, ...others]));
    expect(calls.tooLarge).toBe(1);
    expect(!r.ok && r.error).toMatchObject({ kind: 'entry-too-large', entry: 'tables/samples.arrow', declaredBytes: 1000 });
  });
});
