import type { Table } from 'apache-arrow';

/**
 * Whether value j of a chunk is valid, read from its validity bitmap (faster than Data.getValid per value). A
 * chunk's `values` start at its first value (Arrow slices them), its bitmap does not: hence `offset` here only.
 */
function validity(data: { nullCount: number; nullBitmap?: Uint8Array | null; offset: number }): ((j: number) => boolean) | null {
  if (data.nullCount === 0) return null;
  const bits = data.nullBitmap;
  if (!bits || bits.length === 0) return null;
  const offset = data.offset;
  return (j) => ((bits[(offset + j) >> 3]! >> ((offset + j) & 7)) & 1) === 1;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A numeric column as Float64Array; nulls become NaN. int64 nanoseconds fit exactly below 2^53 (104 days). */
export function numberColumn(table: Table, name: string): Float64Array {
  // (v − 0) / 1 is v exactly, so this is the plain read.
  return affineColumn(table, name, 0, 1);
}

/** (v − shift) / divisor per value, in one pass; nulls become NaN. */
function affineColumn(table: Table, name: string, shift: number, divisor: number): Float64Array {
  const col = table.getChild(name);
  const out = new Float64Array(table.numRows);
  if (!col) return out.fill(Number.NaN);
  let i = 0;
  for (const data of col.data) {
    const values = data.values as ArrayLike<number | bigint>;
    const valid = validity(data);
    if (values instanceof BigInt64Array && littleEndian) {
      // int64 as two 32-bit halves: exact below 2^53 like Number(bigint), without a BigInt per value.
      const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      for (let j = 0; j < data.length; j++, i++) {
        const k = 2 * j;
        out[i] = valid && !valid(j) ? Number.NaN : (halves[k + 1]! * 4294967296 + (halves[k]! >>> 0) - shift) / divisor;
      }
      continue;
    }
    for (let j = 0; j < data.length; j++, i++) {
      out[i] = valid && !valid(j) ? Number.NaN : (Number(values[j]!) - shift) / divisor;
    }
  }
  return out;
}

/** A dictionary column as codes into `values`; nulls get code -1. */
export function dictColumn(table: Table, name: string): { codes: Int32Array; values: string[] } {
  const col = table.getChild(name);
  const codes = new Int32Array(table.numRows).fill(-1);
  if (!col) return { codes, values: [] };
  // One batch is what our writer produces; several batches may carry different dictionaries, so remap.
  const values: string[] = [];
  const index = new Map<string, number>();
  let i = 0;
  for (const data of col.data) {
    const dict = data.dictionary;
    const local: number[] = [];
    if (dict) {
      for (let k = 0; k < dict.length; k++) {
        const s = String(dict.get(k));
        let code = index.get(s);
        if (code === undefined) {
          code = values.length;
          index.set(s, code);
          values.push(s);
        }
        local.push(code);
      }
    }
    const raw = data.values as Int32Array;
    const valid = validity(data);
    for (let j = 0; j < data.length; j++, i++) {
      codes[i] = valid && !valid(j) ? -1 : (local[raw[j]!] ?? -1);
    }
  }
  return { codes, values };
}

/** A text column (dictionary or utf8) as strings. */
export function stringColumn(table: Table, name: string): (string | null)[] {
  const col = table.getChild(name);
  if (!col) return new Array<string | null>(table.numRows).fill(null);
  const out: (string | null)[] = [];
  for (let i = 0; i < col.length; i++) {
    const v = col.get(i) as unknown;
    out.push(v === null || v === undefined ? null : String(v));
  }
  return out;
}

/**
 * An int64 nanosecond column as seconds since `startNs` in one pass: the same numbers as
 * `(numberColumn(...)[i] - startNs) / 1e9`, without the float64 nanoseconds in between (a column less to allocate
 * and walk per table read). Nulls become NaN.
 */
export function secondsColumn(table: Table, name: string, startNs: number): Float64Array {
  return affineColumn(table, name, startNs, 1e9);
}

export type IntArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array;

/**
 * An integer column (at most 32 bits: i32, i16) as it is stored when that can be read directly (one batch, no
 * nulls, no offset: the Int16 CPUs of a compact bundle are not copied), else copied into an Int32Array with
 * nulls as `nullAs`. Read only: the result may be the table's own buffer.
 */
export function intColumn(table: Table, name: string, nullAs: number): IntArray {
  const col = table.getChild(name);
  const rows = table.numRows;
  if (!col) return new Int32Array(rows).fill(nullAs);
  const chunks = col.data;
  if (chunks.length === 1) {
    const d = chunks[0]!;
    const v = d.values as unknown;
    const direct = v instanceof Int8Array || v instanceof Int16Array || v instanceof Int32Array || v instanceof Uint8Array || v instanceof Uint16Array;
    if (direct && d.nullCount === 0) return (v as IntArray).length === rows ? (v as IntArray) : (v as IntArray).subarray(0, rows);
  }
  const out = new Int32Array(rows);
  let i = 0;
  for (const data of chunks) {
    const values = data.values as ArrayLike<number | bigint>;
    const valid = validity(data);
    for (let j = 0; j < data.length; j++, i++) out[i] = valid && !valid(j) ? nullAs : Number(values[j]!);
  }
  return out;
}
