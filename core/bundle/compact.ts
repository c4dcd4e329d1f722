import { Data, Dictionary, Field, Int16, Int8, Schema, Table, Type, Vector, makeData, type DataType } from 'apache-arrow';
import { TABLE_SPECS, type ColumnSpec, type TableName } from './tables.ts';

/**
 * The compact layout (format 1.2): `i16` columns as Int16 and dictionary codes as Int8 or Int16 when the
 * dictionary is that small. Arrow data is read back from plain buffers, so a narrower buffer is less to inflate:
 * messaging.tlab's sched table went from 72 to 47 bytes a row (48.9 to 31.0 MB inflated), and zlib inflated it in
 * 38 ms instead of 175 ms (the int32 codes, mostly zero under nulls, deflated into long runs of short matches).
 * Every 1.x reader accepts it: they take integers of at most 32 bits for i32 columns and any dictionary.
 */
export function compactTable(name: TableName, table: Table): Table {
  if (table.numRows === 0) return table;
  const specs = TABLE_SPECS[name].columns as readonly ColumnSpec[];
  let changed = false;
  const fields: Field[] = [];
  const vectors: Record<string, Vector> = {};
  for (const field of table.schema.fields) {
    const col = table.getChild(field.name)!;
    const spec = specs.find((s) => s.name === field.name);
    const chunks = spec ? compactChunks(spec, col.data as Data[]) : null;
    if (!chunks) {
      fields.push(field);
      vectors[field.name] = col;
      continue;
    }
    changed = true;
    fields.push(new Field(field.name, chunks[0]!.type, field.nullable, field.metadata));
    vectors[field.name] = new Vector(chunks);
  }
  return changed ? new Table(new Schema(fields, table.schema.metadata), vectors) : table;
}

const bitWidth = (type: DataType): number => (type as unknown as { bitWidth: number }).bitWidth;

/** The column's chunks in the compact layout, or null when it already is (or cannot be made) narrower. */
function compactChunks(spec: ColumnSpec, chunks: readonly Data[]): Data[] | null {
  if (chunks.length === 0) return null;
  const type = chunks[0]!.type;
  if (spec.kind === 'i16' && type.typeId === Type.Int && bitWidth(type) === 32) {
    // A value out of int16's range (a CPU number >= 32768?) keeps the column Int32, which readers also accept.
    for (const d of chunks) if (!fits(d, -32768, 32767)) return null;
    const t = new Int16();
    return chunks.map((d) => makeData({ type: t, offset: d.offset, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, data: Int16Array.from(d.values as Int32Array) }));
  }
  if (type.typeId === Type.Dictionary) {
    const words = Math.max(...chunks.map((d) => d.dictionary?.length ?? 0));
    const index = words <= 128 ? new Int8() : words <= 32768 ? new Int16() : null;
    const now = bitWidth((type as Dictionary).indices);
    if (!index || bitWidth(index) >= now) return null;
    const t = new Dictionary((type as Dictionary).dictionary, index);
    const narrow = (v: Int32Array) => (index instanceof Int8 ? Int8Array.from(v) : Int16Array.from(v));
    return chunks.map((d) =>
      makeData({ type: t, offset: d.offset, length: d.length, nullCount: d.nullCount, nullBitmap: d.nullBitmap, data: narrow(d.values as Int32Array), dictionary: d.dictionary }),
    );
  }
  return null;
}

function fits(d: Data, lo: number, hi: number): boolean {
  const v = d.values as Int32Array;
  for (let i = 0; i < v.length; i++) if (v[i]! < lo || v[i]! > hi) return false;
  return true;
}

