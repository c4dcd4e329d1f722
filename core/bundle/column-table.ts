import { Dictionary, Field, Int32, Int64, Float64, Schema, Table, Utf8, Vector, makeData, vectorFromArray, type Data } from 'apache-arrow';
import { arrowType } from './table-builder.ts';
import { TABLE_SPECS, builtAsInt32, type ColumnSpec, type TableName } from './tables.ts';

/**
 * A column handed over whole, for importers that keep their rows in typed arrays: the same table as
 * TableBuilder makes from the same rows (the tests compare the Arrow IPC bytes), without an object per row.
 * `order` says which stored row goes where (a sort), so the caller never copies its columns to reorder them.
 */
export type ColumnInput =
  /** Numbers; NaN is null. */
  | { values: ArrayLike<number> }
  /** Codes into `words`; -1 is null. The dictionary is rebuilt in the order words first appear, as TableBuilder's. */
  | { codes: ArrayLike<number>; words: readonly string[] }
  /**
   * Numbers (NaN is null) or codes (-1 is null) that the caller gives up: the column is built in this array's
   * memory, which is overwritten; only with the rows in stored order (`order` a row count). No copy: in a
   * browser every fresh page of a typed array faults, which cost a parse in Chromium more than its copies.
   */
  | { values: Float64Array; inPlace: true }
  | { codes: Int32Array; words: readonly string[]; inPlace: true }
  /** Text; null is null. */
  | { strings: readonly (string | null)[] }
  /** Every value null. */
  | { nulls: true };

/** `order`: the stored row of each table row, or a row count for the rows as stored (needed by inPlace columns). */
export function tableFromColumns(table: TableName, order: ArrayLike<number> | number, columns: Record<string, ColumnInput>): Table {
  const specs = TABLE_SPECS[table].columns;
  const fields = specs.map((s) => new Field(s.name, arrowType(s.kind), s.nullable));
  const schema = new Schema(fields);
  const length = typeof order === 'number' ? order : order.length;
  if (length === 0) return new Table(schema);
  let identity: Int32Array | null = null;
  const data = specs.map((spec) => {
    const c = columns[spec.name];
    if (!c) throw new TypeError(`table ${table}: no column ${spec.name}`);
    if ('inPlace' in c) {
      if (typeof order !== 'number') throw new TypeError(`table ${table}: column ${spec.name} is built in place, which needs the rows in stored order`);
      return columnInPlace(table, spec, length, c);
    }
    if (typeof order === 'number' && !identity) identity = Int32Array.from({ length }, (_, i) => i);
    return columnData(table, spec, typeof order === 'number' ? identity! : order, c);
  });
  return new Table(schema, Object.fromEntries(data.map((d, i) => [fields[i]!.name, new Vector([d])])));
}

function columnData(table: TableName, spec: ColumnSpec, order: ArrayLike<number>, c: ColumnInput): Data {
  const length = order.length;
  const notNull = (row: number) => {
    if (!spec.nullable) throw new TypeError(`table ${table}: column ${spec.name} may not be null (row ${row})`);
  };
  if ('nulls' in c) {
    notNull(0);
    if (spec.kind !== 'utf8') throw new TypeError(`column ${spec.name}: an all-null column is only for text`);
    return makeData({ type: new Utf8(), length, nullCount: length, nullBitmap: new Uint8Array(Math.ceil(length / 8)), valueOffsets: new Int32Array(length + 1), data: new Uint8Array(0) });
  }
  if ('strings' in c) {
    const values = Array.from({ length }, (_, i) => c.strings[order[i]!] ?? null);
    return vectorFromArray(values, new Utf8()).data[0]!;
  }
  // Validity bits are set as rows are read (no byte per row first): fresh memory costs in a browser, where
  // each new page of a typed array faults (Chromium returns freed buffers to the system).
  const bits = new Uint8Array(Math.ceil(length / 8));
  let nulls = 0;
  if ('codes' in c) {
    // Codes renumbered in the order the words first appear in the rows, as TableBuilder assigns them.
    const renumber = new Int32Array(c.words.length).fill(-1);
    const words: string[] = [];
    const codes = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const code = c.codes[order[i]!]!;
      if (code < 0) {
        notNull(i);
        nulls++;
        continue;
      }
      let out = renumber[code]!;
      if (out < 0) out = renumber[code] = words.push(c.words[code]!) - 1;
      codes[i] = out;
      bits[i >> 3]! |= 1 << (i & 7);
    }
    return makeData({ type: new Dictionary(new Utf8(), new Int32()), length, nullCount: nulls, nullBitmap: nulls ? bits : undefined, data: codes, dictionary: vectorFromArray(words, new Utf8()) });
  }
  if (spec.kind === 'i64') {
    // Written straight as int64, without a Float64Array of the values first.
    const out = new BigInt64Array(length);
    const words = new Uint32Array(out.buffer);
    for (let i = 0; i < length; i++) {
      const v = c.values[order[i]!]!;
      if (Number.isNaN(v)) {
        notNull(i);
        nulls++;
        continue;
      }
      if (!Number.isFinite(v)) throw new TypeError(`column ${spec.name}: not a number: ${String(v)}`);
      // Math.trunc of the value; exact integers as two 32-bit halves: a BigInt per value is slow.
      const t = Math.trunc(v);
      if (LITTLE_ENDIAN && Number.isSafeInteger(t)) {
        const hi = Math.floor(t / TWO_32);
        words[2 * i] = t - hi * TWO_32;
        words[2 * i + 1] = hi;
      } else {
        out[i] = BigInt(t);
      }
      bits[i >> 3]! |= 1 << (i & 7);
    }
    return makeData({ type: new Int64(), length, nullCount: nulls, nullBitmap: nulls ? bits : undefined, data: out });
  }
  const values = builtAsInt32(spec.kind) ? new Int32Array(length) : new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = c.values[order[i]!]!;
    if (Number.isNaN(v)) {
      notNull(i);
      nulls++;
      continue;
    }
    if (!Number.isFinite(v)) throw new TypeError(`column ${spec.name}: not a number: ${String(v)}`);
    values[i] = v;
    bits[i >> 3]! |= 1 << (i & 7);
  }
  const nullBitmap = nulls ? bits : undefined;
  if (builtAsInt32(spec.kind)) return makeData({ type: new Int32(), length, nullCount: nulls, nullBitmap, data: values as Int32Array });
  return makeData({ type: new Float64(), length, nullCount: nulls, nullBitmap, data: values as Float64Array });
}

/** columnData's column, the rows as stored, built in the input's own memory (see ColumnInput's inPlace). */
function columnInPlace(table: TableName, spec: ColumnSpec, length: number, c: { values: Float64Array } | { codes: Int32Array; words: readonly string[] }): Data {
  if (('codes' in c ? c.codes : c.values).length < length) throw new TypeError(`column ${spec.name}: fewer values than rows`);
  const notNull = (row: number) => {
    if (!spec.nullable) throw new TypeError(`table ${table}: column ${spec.name} may not be null (row ${row})`);
  };
  const bits = new Uint8Array(Math.ceil(length / 8));
  let nulls = 0;
  if ('codes' in c) {
    if (spec.kind !== 'dict') throw new TypeError(`column ${spec.name}: codes are for dictionary columns`);
    const renumber = new Int32Array(c.words.length).fill(-1);
    const words: string[] = [];
    const codes = c.codes.subarray(0, length);
    for (let i = 0; i < length; i++) {
      const code = codes[i]!;
      if (code < 0) {
        notNull(i);
        nulls++;
        codes[i] = 0;
        continue;
      }
      let out = renumber[code]!;
      if (out < 0) out = renumber[code] = words.push(c.words[code]!) - 1;
      codes[i] = out;
      bits[i >> 3]! |= 1 << (i & 7);
    }
    return makeData({ type: new Dictionary(new Utf8(), new Int32()), length, nullCount: nulls, nullBitmap: nulls ? bits : undefined, data: codes, dictionary: vectorFromArray(words, new Utf8()) });
  }
  const src = c.values;
  if (spec.kind === 'i64') {
    // Each value read, then its own 8 bytes overwritten with the int64.
    const out = new BigInt64Array(src.buffer, src.byteOffset, length);
    const words = new Uint32Array(src.buffer, src.byteOffset, 2 * length);
    for (let i = 0; i < length; i++) {
      const v = src[i]!;
      if (Number.isNaN(v)) {
        notNull(i);
        nulls++;
        words[2 * i] = 0;
        words[2 * i + 1] = 0;
        continue;
      }
      if (!Number.isFinite(v)) throw new TypeError(`column ${spec.name}: not a number: ${String(v)}`);
      const t = Math.trunc(v);
      if (LITTLE_ENDIAN && Number.isSafeInteger(t)) {
        const hi = Math.floor(t / TWO_32);
        words[2 * i] = t - hi * TWO_32;
        words[2 * i + 1] = hi;
      } else {
        out[i] = BigInt(t);
      }
      bits[i >> 3]! |= 1 << (i & 7);
    }
    return makeData({ type: new Int64(), length, nullCount: nulls, nullBitmap: nulls ? bits : undefined, data: out });
  }
  // Int32 value i lies in bytes [4i, 4i+4), which hold Float64 values already read (value i itself is read first).
  const int32 = builtAsInt32(spec.kind);
  const values = int32 ? new Int32Array(src.buffer, src.byteOffset, length) : src.subarray(0, length);
  for (let i = 0; i < length; i++) {
    const v = src[i]!;
    if (Number.isNaN(v)) {
      notNull(i);
      nulls++;
      values[i] = 0;
      continue;
    }
    if (!Number.isFinite(v)) throw new TypeError(`column ${spec.name}: not a number: ${String(v)}`);
    values[i] = v;
    bits[i >> 3]! |= 1 << (i & 7);
  }
  const nullBitmap = nulls ? bits : undefined;
  if (int32) return makeData({ type: new Int32(), length, nullCount: nulls, nullBitmap, data: values as Int32Array });
  return makeData({ type: new Float64(), length, nullCount: nulls, nullBitmap, data: values as Float64Array });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TWO_32 = 2 ** 32;
