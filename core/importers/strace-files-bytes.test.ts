import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importStraceFiles } from './strace-files.ts';
import { rowsOf } from './testing/parse-helpers.ts';

const dir = new URL('../../fixtures/strace/ff-tt-T/', import.meta.url);
const names = readdirSync(dir).sort();
const bytesOf = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

describe('importStraceFiles reads each -ff file as bytes', () => {
  it('whatever the chunks the files arrive in (a File in the loader worker, a read stream in the CLI)', async () => {
    const whole = await importStraceFiles(names.map((name) => ({ name, source: bytesOf(name) })));
    async function* inPieces(b: Uint8Array, size: number) {
      for (let off = 0; off < b.length; off += size) yield b.subarray(off, off + size);
    }
    const pieces = await importStraceFiles(names.map((name, i) => ({ name, source: inPieces(bytesOf(name), 5 + i * 97) })));
    expect(rowsOf(pieces.bundle.tables.syscalls!)).toEqual(rowsOf(whole.bundle.tables.syscalls!));
  });

  it('skips a line over 4 MiB unread, says so, and keeps every other row', async () => {
    const clean = await importStraceFiles(names.map((name) => ({ name, source: bytesOf(name) })));
    const damaged = names.map((name, i) => {
      const b = bytesOf(name);
      if (i !== 2) return { name, source: b };
      const cut = b.indexOf(10) + 1;
      const out = new Uint8Array(b.length + (5 << 20) + 1);
      out.set(b.subarray(0, cut));
      out.fill(0x61, cut, cut + (5 << 20));
      out[cut + (5 << 20)] = 10;
      out.set(b.subarray(cut), cut + (5 << 20) + 1);
      return { name, source: out };
    });
    const r = await importStraceFiles(damaged);
    expect(r.report.rows).toBe(clean.report.rows);
    expect(r.report.notes.join(' ')).toContain(`${names[2]}: 1 line(s) longer than 4,194,304 bytes were skipped unread`);
  });
});
