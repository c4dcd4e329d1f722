import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableFromColumns } from './column-table.ts';
import { TableBuilder } from './table-builder.ts';

const num = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -(2 ** 60), max: 2 ** 60 }), fc.constantFrom(0, -0, 2 ** 53 - 1, -(2 ** 53), 2 ** 32, -1, Number.NaN));
const words = ['syscall', 'read', 'write', 'ENOENT', 'EAGAIN', 'ü'];
const code = fc.integer({ min: -1, max: words.length - 1 });
const row = fc.record({ ts: num, pid: fc.integer(), tid: num, kind: fc.nat(words.length - 1), name: fc.nat(words.length - 1), duration: num, ret: num, errno: code, args: fc.option(fc.string(), { nil: null }) });

/**
 * Everything a table holds, buffer by buffer: types, validity bits, the raw values (0 under nulls too),
 * dictionaries with their codes. (Arrow IPC bytes cannot be compared: each build numbers its dictionaries anew.)
 */
function contents(t: Table) {
  return t.schema.fields.map((f) => {
    const d = t.getChild(f.name)!.data[0]!;
    const bits = Array.from({ length: d.length }, (_, i) => (d.nullBitmap && d.nullBitmap.length ? (d.nullBitmap[i >> 3]! >> (i & 7)) & 1 : 1));
    const raw = d.values ? Array.from(d.values.subarray(0, d.type.toString() === 'Utf8' ? 0 : d.length) as ArrayLike<number | bigint>, String) : [];
    return { field: `${f.name} ${f.type} ${f.nullable}`, length: d.length, nullCount: d.nullCount, bits, raw, offsets: d.valueOffsets ? Array.from(d.valueOffsets.subarray(0, d.length + 1)) : null, text: f.type.toString() === 'Utf8' ? t.getChild(f.name)!.toArray() : null, dictionary: d.dictionary?.toArray() ?? null };
  });
}

describe('tableFromColumns', () => {
  it('makes the table TableBuilder makes from the same rows, in the given order (the content of every buffer)', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 300 }), fc.boolean(), fc.boolean(), (rows, keepArgs, reverse) => {
        // TableBuilder refuses NaN (null) in the columns that may not be null; keep them numbers there.
        rows = rows.map((r) => ({ ...r, ts: Number.isNaN(r.ts) ? 1 : r.ts, tid: Number.isNaN(r.tid) ? 2 : r.tid }));
        const order = rows.map((_, i) => (reverse ? rows.length - 1 - i : i));
        const b = new TableBuilder('syscalls');
        for (const i of order) {
          const r = rows[i]!;
          b.push({ ts_ns: r.ts, pid: r.pid, tid: r.tid, kind: words[r.kind], name: words[r.name], duration_ns: r.duration, ret: r.ret, errno: r.errno < 0 ? null : words[r.errno], args: keepArgs ? r.args : null });
        }
        const col = (f: (r: (typeof rows)[number]) => number) => ({ values: Float64Array.from(rows, f) });
        const t = tableFromColumns('syscalls', order, {
          ts_ns: col((r) => r.ts),
          pid: col((r) => r.pid),
          tid: col((r) => r.tid),
          kind: { codes: rows.map((r) => r.kind), words },
          name: { codes: rows.map((r) => r.name), words },
          duration_ns: col((r) => r.duration),
          ret: col((r) => r.ret),
          errno: { codes: rows.map((r) => r.errno), words },
          args: keepArgs ? { strings: rows.map((r) => r.args) } : { nulls: true },
        });
        expect(contents(t)).toEqual(contents(b.finish()));
      }),
      { numRuns: 300, seed: 20261204 },
    );
  });

  it('builds the same table in place, in the columns it is given, as from a copy of them', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 300 }), fc.nat(8), (rows, spare) => {
        rows = rows.map((r) => ({ ...r, ts: Number.isNaN(r.ts) ? 1 : r.ts, tid: Number.isNaN(r.tid) ? 2 : r.tid }));
        // Columns longer than the rows (a parser's room to grow), whose spare values must not show.
        const floats = (f: (r: (typeof rows)[number]) => number) => Float64Array.from([...rows.map(f), ...Array<number>(spare).fill(7)]);
        const ints = (f: (r: (typeof rows)[number]) => number) => Int32Array.from([...rows.map(f), ...Array<number>(spare).fill(1)]);
        const cols = { ts: floats((r) => r.ts), pid: floats((r) => r.pid), tid: floats((r) => r.tid), kind: ints((r) => r.kind), name: ints((r) => r.name), duration: floats((r) => r.duration), ret: floats((r) => r.ret), errno: ints((r) => r.errno) };
        const copied = tableFromColumns('syscalls', rows.map((_, i) => i), {
          ts_ns: { values: cols.ts.slice() },
          pid: { values: cols.pid.slice() },
          tid: { values: cols.tid.slice() },
          kind: { codes: cols.kind.slice(), words },
          name: { codes: cols.name.slice(), words },
          duration_ns: { values: cols.duration.slice() },
          ret: { values: cols.ret.slice() },
          errno: { codes: cols.errno.slice(), words },
          args: { nulls: true },
        });
        const inPlace = tableFromColumns('syscalls', rows.length, {
          ts_ns: { values: cols.ts, inPlace: true },
          pid: { values: cols.pid, inPlace: true },
          tid: { values: cols.tid, inPlace: true },
          kind: { codes: cols.kind, words, inPlace: true },
          name: { codes: cols.name, words, inPlace: true },
          duration_ns: { values: cols.duration, inPlace: true },
          ret: { values: cols.ret, inPlace: true },
          errno: { codes: cols.errno, words, inPlace: true },
          args: { nulls: true },
        });
        expect(contents(inPlace)).toEqual(contents(copied));
        // The columns are the given arrays' memory, not copies.
        expect(inPlace.getChild('ts_ns')!.data[0]!.values.buffer).toBe(cols.ts.buffer);
        expect(inPlace.getChild('tid')!.data[0]!.values.buffer).toBe(cols.tid.buffer);
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });

  it('refuses what TableBuilder refuses: null where a column may not be null, infinite numbers', () => {
    const ok = { ts_ns: { values: [1] }, pid: { values: [1] }, tid: { values: [1] }, kind: { codes: [0], words }, name: { codes: [1], words }, duration_ns: { values: [1] }, ret: { values: [1] }, errno: { codes: [-1], words }, args: { nulls: true as const } };
    expect(() => tableFromColumns('syscalls', [0], ok)).not.toThrow();
    expect(() => tableFromColumns('syscalls', [0], { ...ok, name: { codes: [-1], words } })).toThrow('column name may not be null (row 0)');
    expect(() => tableFromColumns('syscalls', [0], { ...ok, ret: { values: [Infinity] } })).toThrow('column ret: not a number: Infinity');
  });
});
