import { readFileSync } from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { completeBundle } from './complete.ts';
import { readBundle, type Bundle, type ReadOptions } from './reader.ts';
import { buildZip, deflatedEntry, piecesEntry } from './testing/bombs.ts';
import { TABLE_SPECS } from './tables.ts';
import { MANIFEST_PATH } from './version.ts';
import { COLUMN_FILES_FROM_ROWS, writeBundle } from './writer.ts';

// messaging.tlab: a real recording (664k sched events, 100k system calls), written again by this writer.
const datasets = new URL('../../public/datasets/', import.meta.url);
const fixtures = new URL('../../fixtures/', import.meta.url);
const SCHED = ['ts_ns', 'cpu', 'event', 'next_pid'];

async function mustRead(bytes: Uint8Array, options: ReadOptions = {}): Promise<Bundle> {
  const r = await readBundle(bytes, options);
  if (!r.ok) throw new Error(`read failed: ${JSON.stringify(r.error)}`);
  return r.bundle;
}

const whole = await mustRead(new Uint8Array(readFileSync(new URL('messaging.tlab', datasets))));
const written = writeBundle({ manifest: whole.manifest, tables: whole.tables });
const files = unzipSync(written);
const manifest = JSON.parse(strFromU8(files[MANIFEST_PATH]!)) as { tables: Record<string, { path?: string; columns?: Record<string, string>; rows: number }> };

/** The written bundle with its entries edited (the manifest first, as the writer puts it). */
function edited(edit: (f: Record<string, Uint8Array>, m: typeof manifest) => void): Uint8Array {
  const f = { ...files };
  const m = structuredClone(manifest);
  edit(f, m);
  f[MANIFEST_PATH] = strToU8(JSON.stringify(m));
  const ordered: Zippable = { [MANIFEST_PATH]: f[MANIFEST_PATH] };
  for (const [k, v] of Object.entries(f)) if (k !== MANIFEST_PATH) ordered[k] = v;
  return zipSync(ordered);
}

const ipc = (b: Bundle, name: keyof Bundle['tables']) => Buffer.from(tableToIPC(b.tables[name]!, 'stream'));

describe('format 2: large tables column by column', () => {
  it('stores tables of 20,000 rows or more one file per column, smaller ones whole', () => {
    for (const [name, e] of Object.entries(manifest.tables)) {
      if (e.rows >= COLUMN_FILES_FROM_ROWS) {
        expect(Object.keys(e.columns!), name).toEqual(TABLE_SPECS[name as keyof typeof TABLE_SPECS].columns.map((c) => c.name));
        for (const path of Object.values(e.columns!)) expect(files[path], path).toBeDefined();
      } else {
        expect(files[e.path!], name).toBeDefined();
      }
    }
    expect(manifest.tables['sched']!.columns).toBeDefined();
    expect(manifest.tables['syscalls']!.columns).toBeDefined();
  });

  it('reads back whole, equal to what was written', async () => {
    const again = await mustRead(written);
    expect(again.unread).toBeUndefined();
    for (const name of Object.keys(whole.tables) as (keyof Bundle['tables'])[]) expect(ipc(again, name).equals(ipc(whole, name)), name).toBe(true);
  });

  it('a projected read decodes only the columns asked for, and completeBundle the rest, equal to a whole read', async () => {
    const part = await mustRead(written, { columns: { sched: SCHED } });
    expect(part.tables.sched!.schema.fields.map((f) => f.name)).toEqual(SCHED);
    expect(part.tables.sched!.numRows).toBe(whole.tables.sched!.numRows);
    expect(part.unread!.columns.sched).toEqual(TABLE_SPECS.sched.columns.map((c) => c.name).filter((c) => !SCHED.includes(c)));
    // Tables not named are read whole.
    expect(ipc(part, 'syscalls').equals(ipc(whole, 'syscalls'))).toBe(true);
    for (const c of SCHED) {
      expect(Buffer.from(tableToIPC(part.tables.sched!.select([c]), 'stream')).equals(Buffer.from(tableToIPC(whole.tables.sched!.select([c]), 'stream'))), c).toBe(true);
    }
    const done = await completeBundle(part);
    expect(done.unread).toBeUndefined();
    expect(ipc(done, 'sched').equals(ipc(whole, 'sched'))).toBe(true);
  });

  it('a format 1 bundle reads whole whatever the selection, with a warning that it was migrated', async () => {
    const old = await mustRead(new Uint8Array(readFileSync(new URL('bundles/format-1.0-sysbench-cpu.tlab', fixtures))), { columns: { sched: SCHED } });
    expect(old.unread).toBeUndefined();
    expect(old.manifest.$schema).toBe('urn:telemetry-lab:bundle-manifest:2');
    expect(old.warnings.join('\n')).toContain('migrated from format 1.0.0');
  });
});

describe('format 2: damaged column files', () => {
  it('a column file missing from the zip is table-missing at read, even when the read would leave it for later', async () => {
    const bytes = edited((f) => delete f['tables/sched/prev_comm.arrow']);
    for (const options of [{}, { columns: { sched: SCHED } }]) {
      const r = await readBundle(bytes, options);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toEqual({ kind: 'table-missing', table: 'sched', path: 'tables/sched/prev_comm.arrow' });
    }
  });

  it('a manifest that does not list a column of the spec is table-corrupt', async () => {
    const r = await readBundle(edited((_f, m) => delete m.tables['sched']!.columns!['next_pid']));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'table-corrupt', table: 'sched', detail: 'column "next_pid" is not listed in the manifest\'s columns' });
  });

  it('a column file of another column, or of another row count, is table-corrupt', async () => {
    const swapped = await readBundle(edited((f) => (f['tables/sched/cpu.arrow'] = f['tables/sched/next_pid.arrow']!)));
    expect(swapped.ok).toBe(false);
    if (!swapped.ok) expect(swapped.error).toMatchObject({ kind: 'table-corrupt', table: 'sched', detail: 'column "cpu" is missing' });
    const shorter = await readBundle(edited((f) => (f['tables/sched/cpu.arrow'] = f['tables/syscalls/ts_ns.arrow']!)));
    expect(shorter.ok).toBe(false);
    if (!shorter.ok) expect(shorter.error.kind).toBe('table-corrupt');
  });

  it('a held column that is not Arrow fails completeBundle in words, and it can be asked again', async () => {
    const bytes = edited((f) => (f['tables/sched/prev_comm.arrow'] = strToU8('not arrow at all')));
    const part = await mustRead(bytes, { columns: { sched: SCHED } });
    const first = await completeBundle(part).catch((e: Error) => e);
    expect(first).toBeInstanceOf(Error);
    expect((first as Error).message).toContain('Table "sched" is corrupt');
    expect((first as Error).message).toContain('column "prev_comm" is not a readable Arrow IPC file');
    // Not kept: a second call tries again (and fails the same way) rather than answer from a broken promise.
    const second = await completeBundle(part).catch((e: Error) => e);
    expect(second).not.toBe(first);
    expect((second as Error).message).toBe((first as Error).message);
  });

  it('a held column that inflates to 3 GiB of zeros is refused at its limit when completed, and when read whole', async () => {
    const bomb = 'tables/sched/prev_comm.arrow';
    const entries = Object.entries(files).map(([name, data]) => (name === bomb ? piecesEntry(name, [{ byte: 0, count: 3 * 2 ** 30 }]) : deflatedEntry(name, data)));
    const bytes = buildZip(entries);
    const wholeRead = await readBundle(bytes);
    expect(wholeRead.ok).toBe(false);
    if (!wholeRead.ok) expect(wholeRead.error).toMatchObject({ kind: 'entry-too-large', entry: bomb });
    const part = await mustRead(bytes, { columns: { sched: SCHED } });
    const started = performance.now();
    const e = await completeBundle(part).catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    expect((e as Error).message).toContain(bomb);
    expect(((e as Error).cause as { error: { kind: string } }).error.kind).toBe('entry-too-large');
    expect(performance.now() - started).toBeLessThan(4000);
  });
});
