import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { tableToIPC } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { readBundle, type ReadResult } from './reader.ts';
import { nativeInflateAvailable } from './unzip-stream.ts';

const datasets = new URL('../../public/datasets/', import.meta.url);
const demos = readdirSync(datasets).filter((f) => f.endsWith('.tlab'));
const load = (f: string) => new Uint8Array(readFileSync(new URL(f, datasets)));

/** Reads with fflate's inflate (TLAB_JS_INFLATE=1) or the platform's (DecompressionStream). */
async function readWith(inflate: 'native' | 'fflate', bytes: Uint8Array, chunkBytes?: number): Promise<ReadResult> {
  if (inflate === 'fflate') process.env.TLAB_JS_INFLATE = '1';
  else delete process.env.TLAB_JS_INFLATE;
  expect(nativeInflateAvailable()).toBe(inflate === 'native');
  return readBundle(bytes, chunkBytes ? { chunkBytes } : {});
}

const tablesOf = (r: ReadResult) => {
  if (!r.ok) throw new Error(r.error.kind);
  return Object.fromEntries(Object.entries(r.bundle.tables).map(([n, t]) => [n, createHash('sha256').update(tableToIPC(t!)).digest('hex')]));
};

afterEach(() => {
  delete process.env.TLAB_JS_INFLATE;
});

describe('the native inflate (DecompressionStream) reads bundles as fflate does', () => {
  it('is there in this Node', () => expect(typeof DecompressionStream).toBe('function'));

  for (const f of demos) {
    it(`${f}: the same manifest, warnings and tables (Arrow IPC bytes), whole and in 4 KiB chunks`, async () => {
      const bytes = load(f);
      const js = await readWith('fflate', bytes);
      for (const chunk of [undefined, 4096]) {
        const native = await readWith('native', bytes, chunk);
        expect(native.ok && native.bundle.manifest).toEqual(js.ok && js.bundle.manifest);
        expect(native.ok && native.bundle.warnings).toEqual(js.ok && js.bundle.warnings);
        expect(tablesOf(native)).toEqual(tablesOf(js));
      }
    });
  }

  it('reports bit rot inside a table the same way', async () => {
    const bundle = load(demos.map((f) => [f, load(f).byteLength] as const).sort((a, b) => a[1] - b[1])[0]![0]);
    const name = new TextEncoder().encode('tables/');
    const at = bundle.findIndex((_, i) => name.every((c, j) => bundle[i + j] === c));
    expect(at).toBeGreaterThan(0);
    const damaged = bundle.slice();
    for (let i = at + 60; i < at + 260 && i < damaged.length; i++) damaged[i] = damaged[i]! ^ 0x5a;
    const js = await readWith('fflate', damaged);
    const native = await readWith('native', damaged);
    expect(js.ok).toBe(false);
    expect(native.ok).toBe(false);
    if (!js.ok && !native.ok) {
      expect(['zip-corrupt', 'table-corrupt']).toContain(native.error.kind);
      expect(native.error.kind).toBe(js.error.kind);
    }
  });
});
