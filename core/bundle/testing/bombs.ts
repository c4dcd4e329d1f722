import { deflateSync, strFromU8, strToU8, unzipSync } from 'fflate';
import { MANIFEST_PATH } from '../version.ts';

/**
 * Hostile copies of a real bundle: decompression bombs and manifest bombs, the way an attacker builds them — a
 * few kilobytes or megabytes on disk that inflate to gigabytes, or a manifest that nests, repeats or grows
 * without end. Shared by the unit tests, the CLI tests (which time `tlab inspect` on each and measure its peak
 * memory) and the browser tests (which drop each on the app).
 *
 * Long runs of one byte are written as hand-made DEFLATE: one literal, then matches of length 258 at distance 1,
 * each 2 bits with the code used here, so 3 GiB of zeros is about 3 MB and is built in milliseconds instead of
 * being compressed. The CRC-32 of such an entry is left 0: readers stop long before the end, where it is checked.
 */

export interface Bomb {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** What a reader must do: refuse with this error kind, or open the bundle with a warning. */
  readonly expect: { readonly kind: 'entry-too-large' | 'manifest-too-complex' | 'too-many-entries' } | { readonly kind: 'opens-with-warning' };
  /** Text the message must contain: the entry it names, the size it gives. */
  readonly mentions: readonly string[];
  /** What the same file costs a reader that inflates everything it is given (what the bomb is for). */
  readonly claim: string;
}

// ---------------------------------------------------------------- DEFLATE

class BitWriter {
  private buf = new Uint8Array(1 << 12);
  private pos = 0;

  private ensure(bits: number): void {
    const need = Math.ceil((this.pos + bits) / 8) + 1;
    if (need <= this.buf.byteLength) return;
    const next = new Uint8Array(Math.max(need, this.buf.byteLength * 2));
    next.set(this.buf);
    this.buf = next;
  }

  /** `n` bits of `value`, least significant first (DEFLATE's order for everything but Huffman codes). */
  bits(value: number, n: number): void {
    this.ensure(n);
    for (let i = 0; i < n; i++, this.pos++) if ((value >>> i) & 1) this.buf[this.pos >> 3]! |= 1 << (this.pos & 7);
  }

  /** A Huffman code, most significant bit first. */
  code(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits((code >>> i) & 1, 1);
  }

  /** `n` zero bits: the buffer is zero-filled, so only the position moves. */
  zeros(n: number): void {
    this.ensure(n);
    this.pos += n;
  }

  align(): void {
    this.pos = Math.ceil(this.pos / 8) * 8;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.byteLength * 8);
    this.buf.set(data, this.pos >> 3);
    this.pos += data.byteLength * 8;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, Math.ceil(this.pos / 8));
  }
}

/** A piece of an entry's content: literal bytes, or `count` copies of one byte. */
export type Piece = Uint8Array | { readonly byte: number; readonly count: number };

const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
// Code-length alphabet used: 0, 2, 18 (2-bit codes 00, 01, 10) and 1, 17 (3-bit codes 110, 111): a complete code.
const CL_CODES: Record<number, [code: number, length: number]> = { 0: [0b00, 2], 2: [0b01, 2], 18: [0b10, 2], 1: [0b110, 3], 17: [0b111, 3] };

function runBlock(w: BitWriter, byte: number, count: number, final: boolean): void {
  w.bits(final ? 1 : 0, 1);
  w.bits(2, 2); // dynamic Huffman
  w.bits(286 - 257, 5); // HLIT: literal/length codes 0..285
  w.bits(2 - 1, 5); // HDIST: distance codes 0..1
  w.bits(18 - 4, 4); // HCLEN: the first 18 of CL_ORDER (symbol 1 is 18th)
  for (const sym of CL_ORDER.slice(0, 18)) w.bits(CL_CODES[sym]?.[1] ?? 0, 3);
  const cl = (sym: number, extra?: [number, number]) => {
    const [c, l] = CL_CODES[sym]!;
    w.code(c, l);
    if (extra) w.bits(extra[0], extra[1]);
  };
  const zeroRun = (k: number) => {
    while (k >= 11) {
      const r = Math.min(k, 138);
      cl(18, [r - 11, 7]);
      k -= r;
    }
    if (k >= 3) cl(17, [k - 3, 3]);
    else for (let i = 0; i < k; i++) cl(0);
  };
  // Literal/length code lengths: `byte` and end-of-block 2 bits, length 258 (symbol 285) 1 bit; then two 1-bit distance codes.
  zeroRun(byte);
  cl(2);
  zeroRun(255 - byte);
  cl(2);
  zeroRun(284 - 256);
  cl(1);
  cl(1);
  cl(1);
  // Canonical codes: 285 -> 0; byte -> 10; 256 -> 11. Distance 1 (code 0) -> 0.
  w.code(0b10, 2);
  const matches = Math.floor((count - 1) / 258);
  w.zeros(matches * 2);
  for (let i = 0; i < count - 1 - matches * 258; i++) w.code(0b10, 2);
  w.code(0b11, 2);
}

function storedBlocks(w: BitWriter, data: Uint8Array, final: boolean): void {
  let off = 0;
  do {
    const n = Math.min(0xffff, data.byteLength - off);
    const last = off + n >= data.byteLength;
    w.bits(final && last ? 1 : 0, 1);
    w.bits(0, 2);
    w.align();
    w.bits(n, 16);
    w.bits(~n & 0xffff, 16);
    w.bytes(data.subarray(off, off + n));
    off += n;
  } while (off < data.byteLength);
}

/** Raw DEFLATE of the pieces, one after another. */
export function deflatePieces(pieces: readonly Piece[]): Uint8Array {
  const w = new BitWriter();
  const real = pieces.filter((p) => p instanceof Uint8Array || p.count > 0);
  if (real.length === 0) return deflateSync(new Uint8Array(0));
  real.forEach((p, i) => {
    const final = i === real.length - 1;
    if (p instanceof Uint8Array) storedBlocks(w, p, final);
    else runBlock(w, p.byte, p.count, final);
  });
  return w.finish();
}

// ---------------------------------------------------------------- zip

export interface ZipEntry {
  readonly name: string;
  readonly method: 0 | 8;
  readonly data: Uint8Array;
  readonly size: number;
  readonly crc: number;
}

let crcTable: Uint32Array | null = null;
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.byteLength; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** An entry deflated from real bytes (with its real CRC). */
export function deflatedEntry(name: string, data: Uint8Array): ZipEntry {
  return { name, method: 8, data: deflateSync(data, { level: 6 }), size: data.byteLength, crc: crc32(data) };
}

/** An entry whose content is made of pieces (runs are never materialised). */
export function piecesEntry(name: string, pieces: readonly Piece[]): ZipEntry {
  const size = pieces.reduce((n, p) => n + (p instanceof Uint8Array ? p.byteLength : p.count), 0);
  const allReal = pieces.every((p) => p instanceof Uint8Array);
  return { name, method: 8, data: deflatePieces(pieces), size, crc: allReal ? crc32(concatBytes(pieces as Uint8Array[])) : 0 };
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}

/** A zip of the entries in order (local headers, central directory, end record; zip64 end records past 65,535 entries). */
export function buildZip(entries: readonly ZipEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const u16 = (v: DataView, at: number, x: number) => v.setUint16(at, x, true);
  const u32 = (v: DataView, at: number, x: number) => v.setUint32(at, x >>> 0, true);
  const DOS_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1;
  for (const e of entries) {
    if (e.size > 0xfffffffe || e.data.byteLength > 0xfffffffe) throw new Error('entries of 4 GiB or more need zip64 sizes, which this builder does not write');
    const name = strToU8(e.name);
    const local = new Uint8Array(30 + name.byteLength);
    const l = new DataView(local.buffer);
    u32(l, 0, 0x04034b50);
    u16(l, 4, 20);
    u16(l, 6, 0x0800);
    u16(l, 8, e.method);
    u16(l, 12, DOS_DATE);
    u32(l, 14, e.crc);
    u32(l, 18, e.data.byteLength);
    u32(l, 22, e.size);
    u16(l, 26, name.byteLength);
    local.set(name, 30);
    const dir = new Uint8Array(46 + name.byteLength);
    const d = new DataView(dir.buffer);
    u32(d, 0, 0x02014b50);
    u16(d, 4, 20);
    u16(d, 6, 20);
    u16(d, 8, 0x0800);
    u16(d, 10, e.method);
    u16(d, 14, DOS_DATE);
    u32(d, 16, e.crc);
    u32(d, 20, e.data.byteLength);
    u32(d, 24, e.size);
    u16(d, 28, name.byteLength);
    u32(d, 42, offset);
    dir.set(name, 46);
    parts.push(local, e.data);
    central.push(dir);
    offset += local.byteLength + e.data.byteLength;
  }
  const dirOffset = offset;
  const dirSize = central.reduce((n, c) => n + c.byteLength, 0);
  const zip64 = entries.length > 0xffff;
  if (zip64) {
    const rec = new Uint8Array(56 + 20);
    const r = new DataView(rec.buffer);
    u32(r, 0, 0x06064b50);
    r.setBigUint64(4, 44n, true);
    u16(r, 12, 45);
    u16(r, 14, 45);
    r.setBigUint64(24, BigInt(entries.length), true);
    r.setBigUint64(32, BigInt(entries.length), true);
    r.setBigUint64(40, BigInt(dirSize), true);
    r.setBigUint64(48, BigInt(dirOffset), true);
    u32(r, 56, 0x07064b50);
    r.setBigUint64(64, BigInt(dirOffset + dirSize), true);
    u32(r, 72, 1);
    central.push(rec);
  }
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  u32(v, 0, 0x06054b50);
  u16(v, 8, Math.min(entries.length, 0xffff));
  u16(v, 10, Math.min(entries.length, 0xffff));
  u32(v, 12, dirSize);
  u32(v, 16, dirOffset);
  return concatBytes([...parts, ...central, end]);
}

// ---------------------------------------------------------------- the bombs

const GiB = 1 << 30;

/** Every bomb, built from a real bundle (its manifest and tables are kept, so only the hostile part differs). */
export function bombsOf(bundle: Uint8Array): Bomb[] {
  const files = unzipSync(bundle);
  const manifestText = strFromU8(files[MANIFEST_PATH]!);
  const manifest = JSON.parse(manifestText) as Record<string, unknown> & { tables: Record<string, { path: string; rows: number }> };
  const tableNames = Object.keys(files).filter((k) => k.startsWith('tables/'));
  const realTables = () => tableNames.map((n) => deflatedEntry(n, files[n]!));
  const manifestEntry = (m: unknown = manifest) => deflatedEntry(MANIFEST_PATH, strToU8(JSON.stringify(m, null, 2)));
  const target = manifest.tables['samples'] ? 'samples' : Object.keys(manifest.tables)[0]!;
  const targetPath = manifest.tables[target]!.path;
  const zeros = (name: string, size: number) => piecesEntry(name, [{ byte: 0, count: size }]);
  const withTarget = (entry: ZipEntry) => realTables().map((e) => (e.name === targetPath ? entry : e));
  const edited = (edit: (m: Record<string, unknown>) => void) => {
    const m = structuredClone(manifest);
    edit(m);
    return m;
  };

  // The label as a 100 MB run of "A", between the real manifest's text before and after it.
  const marker = '\u0000LABEL\u0000';
  const split = JSON.stringify(edited((m) => ((m['workload'] as Record<string, unknown>)['label'] = marker)), null, 2).split(JSON.stringify(marker));
  const LABEL = 100_000_000;
  const labelManifest = piecesEntry(MANIFEST_PATH, [strToU8(split[0] + '"'), { byte: 0x41, count: LABEL }, strToU8('"' + split[1])]);

  // 10,000 levels of {"a": ...} inside a source's settings (settings accept any JSON).
  const DEPTH = 10_000;
  const deep = edited((m) => {
    const sources = m['sources'] as Record<string, { settings: unknown }>;
    sources[Object.keys(sources)[0]!]!.settings = { nested: '__DEEP__' };
  });
  const deepText = JSON.stringify(deep).replace('"__DEEP__"', '{"a":'.repeat(DEPTH) + '0' + '}'.repeat(DEPTH));

  const NOTES = 1_000_000;
  const FEW_NOTES = 50_000;
  const ENTRIES = 100_000;
  const SIZE = 3 * GiB;
  return [
    {
      name: 'unlisted-table-3gib.tlab',
      claim: `tables/x.arrow, which the manifest does not list, inflates to 3 GiB`,
      bytes: buildZip([manifestEntry(), ...realTables(), zeros('tables/x.arrow', SIZE)]),
      expect: { kind: 'opens-with-warning' },
      mentions: ['tables/x.arrow', '3.00 GiB'],
    },
    {
      name: 'table-zeros-3gib.tlab',
      claim: `${targetPath}, listed with its real ${manifest.tables[target]!.rows} rows, inflates to 3 GiB of zeros`,
      bytes: buildZip([manifestEntry(), ...withTarget(zeros(targetPath, SIZE))]),
      expect: { kind: 'entry-too-large' },
      mentions: [targetPath, `${manifest.tables[target]!.rows.toLocaleString('en-US')} rows`, '3.00 GiB'],
    },
    {
      name: 'table-before-manifest-3gib.tlab',
      claim: `the 3 GiB ${targetPath} comes before manifest.json, so a streaming reader meets it before knowing its limit`,
      bytes: buildZip([zeros(targetPath, SIZE), manifestEntry(), ...realTables().filter((e) => e.name !== targetPath)]),
      expect: { kind: 'entry-too-large' },
      mentions: [targetPath, '3.00 GiB'],
    },
    {
      name: 'rows-lie-3gib.tlab',
      claim: `the manifest claims 2,000,000,000 rows for ${targetPath}, which inflates to 3 GiB of zeros`,
      bytes: buildZip([
        manifestEntry(edited((m) => ((m['tables'] as Record<string, { rows: number }>)[target]!.rows = 2_000_000_000))),
        ...withTarget(zeros(targetPath, SIZE)),
      ]),
      expect: { kind: 'entry-too-large' },
      mentions: [targetPath, '256 times', '3.00 GiB'],
    },
    {
      name: 'label-100mb.tlab',
      claim: 'workload.label is a 100 MB string',
      bytes: buildZip([labelManifest, ...realTables()]),
      expect: { kind: 'entry-too-large' },
      mentions: [MANIFEST_PATH, '1.00 MiB', '95.37 MiB'],
    },
    {
      name: 'notes-1m.tlab',
      claim: 'the manifest has 1,000,000 notes',
      bytes: buildZip([manifestEntry(edited((m) => (m['notes'] = new Array<string>(NOTES).fill('note')))), ...realTables()]),
      expect: { kind: 'entry-too-large' },
      mentions: [MANIFEST_PATH, '1.00 MiB'],
    },
    {
      name: 'notes-50k.tlab',
      claim: 'the manifest has 50,000 notes in under 1 MiB',
      bytes: buildZip([deflatedEntry(MANIFEST_PATH, strToU8(JSON.stringify(edited((m) => (m['notes'] = new Array<string>(FEW_NOTES).fill('')))))), ...realTables()]),
      expect: { kind: 'manifest-too-complex' },
      mentions: ['$.notes', '10,000 items'],
    },
    {
      name: 'depth-10000.tlab',
      claim: 'a source\'s settings nest 10,000 objects deep',
      bytes: buildZip([deflatedEntry(MANIFEST_PATH, strToU8(deepText)), ...realTables()]),
      expect: { kind: 'manifest-too-complex' },
      mentions: ['10,00', 'nest'],
    },
    {
      name: 'entries-100k.tlab',
      claim: 'the zip holds 100,000 (empty) entries after the real ones',
      bytes: buildZip([
        manifestEntry(),
        ...realTables(),
        ...Array.from({ length: ENTRIES }, (_, i): ZipEntry => ({ name: `raw/${i}`, method: 0, data: new Uint8Array(0), size: 0, crc: 0 })),
      ]),
      expect: { kind: 'too-many-entries' },
      mentions: ['10,100'],
    },
  ];
}
