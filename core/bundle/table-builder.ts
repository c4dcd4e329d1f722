import {
  Data,
  Dictionary,
  Float64,
  Int32,
  Int64,
  Table,
  Utf8,
  Vector,
  makeData,
  vectorFromArray,
  Field,
  Schema,
  type DataType,
} from 'apache-arrow';
import { TABLE_SPECS, builtAsInt32, type ColumnKind, type ColumnSpec, type TableName } from './tables.ts';

/** A row as importers produce it: numbers for numeric columns, strings for text, null/undefined for missing. */
export type Row = Record<string, number | bigint | string | null | undefined>;

export function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'i64':
      return new Int64();
    case 'i32':
    // Built as Int32 (the range is only known at the end); the writer narrows it (compact.ts).
    case 'i16':
      return new Int32();
    case 'f64':
      return new Float64();
    case 'dict':
      return new Dictionary(new Utf8(), new Int32());
    case 'utf8':
      return new Utf8();
  }
}

interface ColumnStore {
  spec: ColumnSpec;
  push(v: Row[string]): void;
  finish(length: number): Data;
}

/** Validity bitmap, or undefined when nothing is null (Arrow's cheaper representation). */
export function bitmap(valid: Uint8Array, nulls: number, length: number): Uint8Array | undefined {
  if (nulls === 0) return undefined;
  const bits = new Uint8Array(Math.ceil(length / 8));
  for (let i = 0; i < length; i++) if (valid[i]) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

class Growable<T extends Float64Array | Int32Array | Uint8Array> {
  buf: T;
  length = 0;
  constructor(private make: (n: number) => T) {
    this.buf = make(1024);
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = this.make(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  view(): T {
    return this.buf.subarray(0, this.length) as T;
  }
}

function numericStore(spec: ColumnSpec): ColumnStore {
  const values = builtAsInt32(spec.kind) ? new Growable((n) => new Int32Array(n)) : new Growable((n) => new Float64Array(n));
  const valid = new Growable((n) => new Uint8Array(n));
  let nulls = 0;
  return {
    spec,
    push(v) {
      if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) {
        values.push(0);
        valid.push(0);
        nulls++;
        return;
      }
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) throw new TypeError(`column ${spec.name}: not a number: ${String(v)}`);
      values.push(n);
      valid.push(1);
    },
    finish(length) {
      const nullBitmap = bitmap(valid.view(), nulls, length);
      if (spec.kind === 'i64') {
        const src = values.view();
        const out = new BigInt64Array(length);
        for (let i = 0; i < length; i++) out[i] = BigInt(Math.trunc(src[i]!));
        return makeData({ type: new Int64(), length, nullCount: nulls, nullBitmap, data: out });
      }
      if (builtAsInt32(spec.kind)) {
        return makeData({ type: new Int32(), length, nullCount: nulls, nullBitmap, data: (values.view() as Int32Array).slice() });
      }
      return makeData({ type: new Float64(), length, nullCount: nulls, nullBitmap, data: (values.view() as Float64Array).slice() });
    },
  };
}

function dictStore(spec: ColumnSpec): ColumnStore {
  const index = new Map<string, number>();
  const words: string[] = [];
  const codes = new Growable((n) => new Int32Array(n));
  const valid = new Growable((n) => new Uint8Array(n));
  let nulls = 0;
  return {
    spec,
    push(v) {
      if (v === null || v === undefined) {
        codes.push(0);
        valid.push(0);
        nulls++;
        return;
      }
      const s = String(v);
      let code = index.get(s);
      if (code === undefined) {
        code = words.length;
        index.set(s, code);
        words.push(s);
      }
      codes.push(code);
      valid.push(1);
    },
    finish(length) {
      const dictionary = vectorFromArray(words, new Utf8());
      return makeData({
        type: new Dictionary(new Utf8(), new Int32()),
        length,
        nullCount: nulls,
        nullBitmap: bitmap(valid.view(), nulls, length),
        data: codes.view().slice(),
        dictionary,
      });
    },
  };
}

function utf8Store(spec: ColumnSpec): ColumnStore {
  const values: (string | null)[] = [];
  return {
    spec,
    push(v) {
      values.push(v === null || v === undefined ? null : String(v));
    },
    finish() {
      return vectorFromArray(values, new Utf8()).data[0]!;
    },
  };
}

/**
 * Collects rows of one bundle table and turns them into an Arrow table typed by TABLE_SPECS.
 * Columns are stored in typed arrays as rows arrive, so millions of rows stay cheap.
 */
export class TableBuilder {
  private readonly stores: ColumnStore[];
  private rows = 0;

  constructor(readonly table: TableName) {
    this.stores = TABLE_SPECS[table].columns.map((spec) =>
      spec.kind === 'dict' ? dictStore(spec) : spec.kind === 'utf8' ? utf8Store(spec) : numericStore(spec),
    );
  }

  get length(): number {
    return this.rows;
  }

  push(row: Row): void {
    for (const store of this.stores) {
      const v = row[store.spec.name];
      if ((v === null || v === undefined) && !store.spec.nullable) {
        throw new TypeError(`table ${this.table}: column ${store.spec.name} may not be null (row ${this.rows})`);
      }
      store.push(v);
    }
    this.rows++;
  }

  finish(): Table {
    const fields = this.stores.map((s) => new Field(s.spec.name, arrowType(s.spec.kind), s.spec.nullable));
    const schema = new Schema(fields);
    // apache-arrow refuses a batch of zero-length columns against this schema; an empty table needs no batch.
    if (this.rows === 0) return new Table(schema);
    const children = this.stores.map((s) => s.finish(this.rows));
    const vectors = Object.fromEntries(children.map((d, i) => [fields[i]!.name, new Vector([d])]));
    return new Table(schema, vectors);
  }
}

export function buildTable(table: TableName, rows: Iterable<Row>): Table {
  const b = new TableBuilder(table);
  for (const r of rows) b.push(r);
  return b.finish();
}
