import { readFileSync } from 'node:fs';
import { inflateSync, strToU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { describeBundleError } from './errors.ts';
import { BUNDLE_LIMITS, checkManifestShape, tableByteLimit, columnByteLimit } from './limits.ts';
import { readBundle } from './reader.ts';
import { isTableName } from './tables.ts';
import { bombsOf, buildZip, deflatePieces, deflatedEntry } from './testing/bombs.ts';

const datasets = new URL('../../public/datasets/', import.meta.url);
const small = new Uint8Array(readFileSync(new URL('sysbench-cpu.tlab', datasets)));

describe('the bomb builder', () => {
  it('writes DEFLATE that inflates to exactly the pieces (runs of any byte, literal bytes between)', () => {
    for (const count of [1, 2, 258, 259, 260, 1000, 100_003]) {
      for (const byte of [0, 0x41, 0xff]) {
        const pieces = [strToU8('head'), { byte, count }, strToU8('tail')];
        const out = inflateSync(deflatePieces(pieces));
        expect(out.byteLength).toBe(count + 8);
        expect(out.subarray(4, 4 + count).every((b) => b === byte)).toBe(true);
        expect(new TextDecoder().decode(out.subarray(count + 4))).toBe('tail');
      }
    }
  });

  it('3 GiB of zeros takes about 3 MB', () => {
    const n = 3 * 2 ** 30;
    const bytes = deflatePieces([{ byte: 0, count: n }]);
    expect(bytes.byteLength).toBeLessThan(n / 1000);
  });

  it('writes zips that a standard unzip reads', () => {
    const zip = buildZip([deflatedEntry('a.txt', strToU8('hello')), deflatedEntry('b/c.txt', strToU8('world'))]);
    const files = unzipSync(zip);
    expect(new TextDecoder().decode(files['a.txt'])).toBe('hello');
    expect(new TextDecoder().decode(files['b/c.txt'])).toBe('world');
  });
});

describe('the reader against bombs', () => {
  for (const bomb of bombsOf(small)) {
    it(`${bomb.name} (${bomb.claim}) is ${bomb.expect.kind === 'opens-with-warning' ? 'opened with a warning' : `refused: ${bomb.expect.kind}`}`, async () => {
      const started = performance.now();
      const r = await readBundle(bomb.bytes);
      const ms = performance.now() - started;
      let text: string;
      if (bomb.expect.kind === 'opens-with-warning') {
        expect(r.ok, JSON.stringify(!r.ok && r.error)).toBe(true);
        text = r.ok ? r.bundle.warnings.join('\n') : '';
      } else {
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.error.kind).toBe(bomb.expect.kind);
        const d = describeBundleError(r.error);
        text = `${d.title}. ${d.detail}`;
      }
      for (const m of bomb.mentions) expect(text).toContain(m);
      console.log(`${bomb.name}: ${(bomb.bytes.byteLength / 1024).toFixed(0)} KiB, ${ms.toFixed(0)} ms: ${text}`);
      expect(ms).toBeLessThan(4000);
    });
  }
});

describe('limits', () => {
  it('every table of every demo bundle is far inside its row bound', () => {
    for (const f of ['sysbench-cpu.tlab', 'compression.tlab', 'messaging.tlab']) {
      const files = unzipSync(new Uint8Array(readFileSync(new URL(f, datasets))));
      const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as { tables: Record<string, { path?: string; columns?: Record<string, string>; rows: number }> };
      for (const [name, e] of Object.entries(manifest.tables)) {
        if (!isTableName(name)) continue;
        if (e.path) expect(files[e.path]!.byteLength * 3, `${f} ${name}`).toBeLessThan(tableByteLimit(name, e.rows).limit);
        // One column alone is near its bound when fixed-width (8 bytes a row of int64): a tenth to spare.
        for (const [column, path] of Object.entries(e.columns ?? {})) {
          expect(files[path]!.byteLength * 1.1, `${f} ${path}`).toBeLessThan(columnByteLimit(name, column, e.rows).limit);
        }
      }
    }
  });

  it('the shape check names the JSON path and the limit', () => {
    const deep = '{"sources":{"proc":{"settings":' + '['.repeat(40) + ']'.repeat(40) + '}}}';
    expect(checkManifestShape(deep)).toMatchObject({ kind: 'manifest-too-complex', what: 'depth', path: '$.sources.proc.settings' + '[0]'.repeat(29), found: 43 });
    const longString = JSON.stringify({ workload: { label: 'x'.repeat(BUNDLE_LIMITS.manifestStringChars + 1) } });
    expect(checkManifestShape(longString)).toMatchObject({ what: 'string', path: '$.workload.label', found: BUNDLE_LIMITS.manifestStringChars + 1 });
    const manyItems = JSON.stringify({ raw: [], notes: new Array(BUNDLE_LIMITS.manifestArrayItems + 5).fill(1) });
    expect(checkManifestShape(manyItems)).toMatchObject({ what: 'array', path: `$.notes[${BUNDLE_LIMITS.manifestArrayItems}]` });
    const manyKeys = JSON.stringify({ overhead: Object.fromEntries(Array.from({ length: BUNDLE_LIMITS.manifestObjectKeys + 1 }, (_, i) => [`k${i}`, i])) });
    expect(checkManifestShape(manyKeys)).toMatchObject({ what: 'object', path: "$.overhead" });
    // Brackets and quotes inside strings are text, not structure.
    expect(checkManifestShape(JSON.stringify({ a: '[[[[{{{{"\\'.repeat(100), b: [1, 2, 3] }))).toBeNull();
    expect(checkManifestShape(new TextDecoder().decode(unzipSync(small)['manifest.json']))).toBeNull();
  });
});
