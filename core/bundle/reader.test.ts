import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from './columns.ts';
import { readBundle } from './reader.ts';
import { corruptionsOf } from './testing/corruptions.ts';
import { writeBundle } from './writer.ts';
import { TABLE_SPECS, type TableName } from './tables.ts';
import { TableBuilder } from './table-builder.ts';
import { migrateManifest } from './migrations.ts';

const datasets = new URL('../../public/datasets/', import.meta.url);
const demos = readdirSync(datasets).filter((f) => f.endsWith('.tlab'));
const fixtures = new URL('../../fixtures/', import.meta.url);

function load(file: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(file, datasets)));
}

/** Index of the first differing value, or -1 (a plain loop: deep equality on 10^6 values is far too slow). */
function firstDifference<T>(n: number, a: (i: number) => T, b: (i: number) => T): number {
  for (let i = 0; i < n; i++) {
    const x = a(i);
    const y = b(i);
    if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return i;
  }
  return -1;
}

async function mustRead(bytes: Uint8Array, chunkBytes?: number) {
  const r = await readBundle(bytes, chunkBytes ? { chunkBytes } : {});
  if (!r.ok) throw new Error(`read failed: ${JSON.stringify(r.error)}`);
  return r.bundle;
}

describe('demo bundles', () => {
  it('exist (at least two)', () => {
    expect(demos.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of demos) {
    it(`${file}: reads, and survives a write -> read round trip unchanged`, async () => {
      const original = await mustRead(load(file));
      expect(Object.keys(original.tables).length).toBeGreaterThan(0);
      const rewritten = writeBundle({ manifest: original.manifest, tables: original.tables });
      const again = await mustRead(rewritten);
      expect(again.manifest).toEqual(original.manifest);
      for (const [name, table] of Object.entries(original.tables) as [TableName, NonNullable<(typeof original.tables)[TableName]>][]) {
        const other = again.tables[name]!;
        expect(other.numRows).toBe(table.numRows);
        for (const col of TABLE_SPECS[name].columns) {
          if (col.kind === 'dict') {
            const a = dictColumn(table, col.name);
            const b = dictColumn(other, col.name);
            expect(firstDifference(table.numRows, (i) => a.values[a.codes[i]!] ?? null, (i) => b.values[b.codes[i]!] ?? null), `${name}.${col.name}`).toBe(-1);
          } else if (col.kind !== 'utf8') {
            const a = numberColumn(table, col.name);
            const b = numberColumn(other, col.name);
            expect(firstDifference(table.numRows, (i) => a[i]!, (i) => b[i]!), `${name}.${col.name}`).toBe(-1);
          }
        }
      }
    });

    it(`${file}: reads the same in 1 KiB chunks, with progress up to 100%`, async () => {
      const bytes = load(file);
      const fractions: number[] = [];
      const r = await readBundle(bytes, { chunkBytes: 1024, onProgress: (p) => fractions.push(p.fraction) });
      expect(r.ok).toBe(true);
      const whole = await mustRead(bytes);
      if (r.ok) for (const [n, t] of Object.entries(whole.tables)) expect(r.bundle.tables[n as TableName]!.numRows).toBe(t!.numRows);
      expect(fractions.at(-1)).toBe(1);
      for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    });
  }
});

describe('damaged and wrong files give specific errors', () => {
  // The smallest demo: the damage and the errors do not depend on size.
  const bundle = demos.map(load).sort((a, b) => a.byteLength - b.byteLength)[0]!;
  const straceLog = new Uint8Array(readFileSync(new URL('strace/strace-f-cargo-run.log', fixtures)));
  for (const c of corruptionsOf(bundle, { name: 'strace-f-cargo-run.log', bytes: straceLog })) {
    it(`${c.name} -> ${c.expect}`, async () => {
      const r = await readBundle(c.bytes, { chunkBytes: 4096 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe(c.expect);
    });
  }

  it('names what a non-bundle looks like', async () => {
    const r = await readBundle(straceLog);
    expect(r.ok || r.error).toMatchObject({ kind: 'not-a-zip', looksLike: expect.stringContaining('strace') });
  });

  it('points at the JSON path of the first manifest problem', async () => {
    const bad = corruptionsOf(bundle, { name: 'x', bytes: straceLog }).find((c) => c.name === 'manifest-bad-field.tlab')!;
    const r = await readBundle(bad.bytes);
    expect(r.ok || r.error).toMatchObject({ kind: 'manifest-invalid', path: '$.host.cpuCount' });
  });

  it('recognises a Git LFS pointer written by git-lfs', async () => {
    const pointer = new Uint8Array(readFileSync(new URL('bundles/lfs-pointer.tlab', fixtures)));
    const r = await readBundle(pointer);
    expect(r.ok || r.error).toMatchObject({ kind: 'lfs-pointer', oid: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('reports bit rot inside a compressed entry', async () => {
    // Flip bytes in the middle of the first table's compressed data (found via its local header name).
    const damaged = bundle.slice();
    const name = new TextEncoder().encode('tables/');
    let at = -1;
    outer: for (let i = 0; i < damaged.length - name.length; i++) {
      for (let j = 0; j < name.length; j++) if (damaged[i + j] !== name[j]) continue outer;
      at = i;
      break;
    }
    expect(at).toBeGreaterThan(0);
    for (let i = at + 60; i < at + 260 && i < damaged.length; i++) damaged[i] = damaged[i]! ^ 0x5a;
    const r = await readBundle(damaged);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['zip-corrupt', 'table-corrupt']).toContain(r.error.kind);
  });

  it('can be cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await readBundle(bundle, { signal: controller.signal });
    expect(r.ok || r.error).toEqual({ kind: 'cancelled' });
  });
});

describe('empty tables', () => {
  it('a source that saw nothing still writes a valid, typed, empty table', async () => {
    const original = await mustRead(load(demos[0]!));
    const tables = { ...original.tables, syscalls: new TableBuilder('syscalls').finish() };
    const back = await mustRead(writeBundle({ manifest: original.manifest, tables }));
    expect(back.tables.syscalls!.numRows).toBe(0);
    expect(back.tables.syscalls!.schema.fields.map((f) => f.name)).toEqual(TABLE_SPECS.syscalls.columns.map((c) => c.name));
  });
});

describe('forward compatibility within major version 1', () => {
  it('a bundle from a later 1.x with a source and a table this version does not know still opens', async () => {
    const { unzipSync, zipSync, strFromU8, strToU8 } = await import('fflate');
    const files = unzipSync(load(demos[0]!));
    const m = JSON.parse(strFromU8(files['manifest.json']!)) as Record<string, Record<string, unknown>>;
    m['formatVersion'] = '1.7.0' as never;
    m['sources']!['ebpf'] = { status: 'ok', settings: { probe: 'runqlat' }, tables: ['runqlat'] };
    m['tables']!['runqlat'] = { path: 'tables/runqlat.arrow', rows: 1 };
    files['manifest.json'] = strToU8(JSON.stringify(m));
    files['tables/runqlat.arrow'] = strToU8('bytes a 1.0 reader cannot know how to read');
    const r = await readBundle(zipSync(files));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(Object.keys(r.bundle.tables)).not.toContain('runqlat');
    expect(r.bundle.manifest.sources['ebpf']?.status).toBe('ok');
    expect(r.bundle.warnings.join(' ')).toContain('table "runqlat" is newer');
  });
});

describe('migrations', () => {
  it('lifts an older major version step by step and refuses a gap', () => {
    const steps = [{ fromMajor: 0, migrate: (m: Record<string, unknown>) => ({ ...m, formatVersion: '1.0.0', migrated: true }) }];
    expect(migrateManifest({ formatVersion: '0.3.0' }, steps, 1)).toEqual({ ok: true, manifest: { formatVersion: '1.0.0', migrated: true }, from: '0.3.0' });
    expect(migrateManifest({ formatVersion: '0.3.0' }, [], 1)).toMatchObject({ ok: false, error: { kind: 'unsupported-version', tooNew: false } });
    expect(migrateManifest({ formatVersion: '1.4.2' }, [], 1)).toMatchObject({ ok: true });
    expect(migrateManifest({ formatVersion: 'one' }, [], 1)).toMatchObject({ ok: false, error: { kind: 'manifest-invalid', path: '$.formatVersion' } });
  });
});
