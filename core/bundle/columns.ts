import type { Table } from 'apache-arrow';

/** A numeric column as Float64Array; nulls become NaN. int64 nanoseconds fit exactly below 2^53 (104 days). */
export function numberColumn(table: Table, name: string): Float64Array {
  const col = table.getChild(name);
  const out = new Float64Array(table.numRows);
  if (!col) return out.fill(Number.NaN);
  let i = 0;
  for (const data of col.data) {
    const values = data.values as ArrayLike<number | bigint>;
    const offset = data.offset;
    for (let j = 0; j < data.length; j++, i++) {
      out[i] = data.getValid(j) ? Number(values[offset + j]!) : Number.NaN;
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
    for (let j = 0; j < data.length; j++, i++) {
      codes[i] = data.getValid(j) ? (local[raw[data.offset + j]!] ?? -1) : -1;
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
