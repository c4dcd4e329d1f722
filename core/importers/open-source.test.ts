import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { writeBundle } from '../bundle/writer.ts';
import { ImportError } from './errors.ts';
import { openSource } from './open-source.ts';
import { detectCapture, SAMPLE_BYTES } from './registry.ts';

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));
async function* stream(b: Uint8Array, size = 700): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.byteLength; i += size) yield b.subarray(i, i + size);
}

describe('openSource: one way in for bytes, files and streams', () => {
  it('a capture is imported, from an array or a stream alike', async () => {
    const bytes = fixture('strace/strace-t-ls.log');
    const a = await openSource('strace-t-ls.log', bytes);
    const b = await openSource('strace-t-ls.log', stream(bytes));
    if (!a.ok || !b.ok) throw new Error('not opened');
    expect(a.imported?.format).toBe('strace');
    expect(b.imported?.rows).toBe(a.imported?.rows);
    expect(a.bundle.tables.syscalls!.numRows).toBe(a.imported!.rows);
  });

  it('a bundle is read, not imported; the bundle written from an import opens again', async () => {
    const first = await openSource('x.log', fixture('strace/strace-t-ls.log'));
    if (!first.ok) throw new Error('not opened');
    const zip = writeBundle({ manifest: first.bundle.manifest, tables: first.bundle.tables });
    const again = await openSource('x.tlab', stream(zip, 4096));
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    expect(again.imported).toBeNull();
    expect(again.bundle.tables.syscalls!.numRows).toBe(first.bundle.tables.syscalls!.numRows);
  });

  it('a zip that is not a bundle is refused naming what it holds', async () => {
    const r = await openSource('strace-t-ls.zip', fixture('refusals/strace-t-ls.zip'));
    expect(r.ok).toBe(false);
    if (r.ok || r.error.from !== 'import') throw new Error('expected an import error');
    expect(r.error.error).toBeInstanceOf(ImportError);
    expect((r.error.error as ImportError).kind).toBe('zip-not-a-bundle');
    expect(r.error.error.message).toMatch(/not a Telemetry Lab bundle \(no manifest.json; it holds .*strace-t-ls.log\)/);
  });

  it('an LFS pointer goes to the bundle reader, which names it', async () => {
    const r = await openSource('lfs-pointer.tlab', fixture('bundles/lfs-pointer.tlab'));
    if (r.ok || r.error.from !== 'bundle') throw new Error('expected a bundle error');
    expect(r.error.error.kind).toBe('lfs-pointer');
  });

  it('detectCapture reads the same sample everywhere and leaves bundles, gzip and LFS pointers to openSource', () => {
    expect(SAMPLE_BYTES).toBe(16 * 1024);
    expect(detectCapture(fixture('ftrace/tracefs-hackbench.txt'))).toBe('ftrace');
    expect(detectCapture(fixture('refusals/strace-t-ls.log.gz'))).toBeNull();
    expect(detectCapture(fixture('refusals/strace-t-ls.zip'))).toBeNull();
    expect(detectCapture(fixture('bundles/lfs-pointer.tlab'))).toBeNull();
  });
});
