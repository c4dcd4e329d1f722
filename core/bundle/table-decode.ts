import { Schema, Table, tableFromIPC, Type, type DataType, type Field, type Vector } from 'apache-arrow';
import { BundleErrorException } from './errors.ts';
import type { TableEntry } from './manifest.ts';
import { TABLE_SPECS, type ColumnKind, type ColumnSpec, type TableName } from './tables.ts';
import type { z } from 'zod';

type Entry = z.infer<typeof TableEntry>;

/** Columns a reader wants of some tables (the rest of those tables' columns are left compressed); other tables whole. */
export type ColumnSelection = Partial<Record<TableName, readonly string[]>>;

function matchesKind(type: DataType, kind: ColumnKind): boolean {
  switch (kind) {
    case 'i64':
      return type.typeId === Type.Int && (type as unknown as { bitWidth: number }).bitWidth === 64;
    case 'i32':
    // Int16 since format 1.2, Int32 before (and where a value does not fit).
    case 'i16':
      return type.typeId === Type.Int && (type as unknown as { bitWidth: number }).bitWidth <= 32;
    case 'f64':
      return type.typeId === Type.Float || type.typeId === Type.Int;
    case 'dict':
      return type.typeId === Type.Dictionary || type.typeId === Type.Utf8;
    case 'utf8':
      return type.typeId === Type.Utf8 || type.typeId === Type.Dictionary;
  }
}

function corrupt(table: TableName, detail: string): BundleErrorException {
  return new BundleErrorException({ kind: 'table-corrupt', table, detail });
}

function ipcTable(name: TableName, bytes: Uint8Array, what: string): Table {
  try {
    return tableFromIPC(bytes);
  } catch (e) {
    throw corrupt(name, `${what} is not a readable Arrow IPC file (${(e as Error).message})`);
  }
}

function checkColumn(name: TableName, spec: ColumnSpec, field: Field | undefined): void {
  if (!field) throw corrupt(name, `column "${spec.name}" is missing`);
  if (!matchesKind(field.type, spec.kind)) throw corrupt(name, `column "${spec.name}" has type ${String(field.type)}, expected ${spec.kind}`);
}

/** A table kept whole (`path`): every column the spec lists, of a kind the spec allows, and the manifest's row count. */
export function decodeTable(name: TableName, bytes: Uint8Array, rows: number): Table {
  const table = ipcTable(name, bytes, 'the table');
  for (const spec of TABLE_SPECS[name].columns) checkColumn(name, spec, table.schema.fields.find((f) => f.name === spec.name));
  if (table.numRows !== rows) throw corrupt(name, `has ${table.numRows} rows, the manifest says ${rows}`);
  return table;
}

/** One column of a table stored column by column: a file of that column alone, of the spec's kind and row count. */
export function decodeColumn(name: TableName, column: string, bytes: Uint8Array, rows: number): { field: Field; vector: Vector } {
  const table = ipcTable(name, bytes, `column "${column}"`);
  const field = table.schema.fields.find((f) => f.name === column);
  const spec = TABLE_SPECS[name].columns.find((c) => c.name === column);
  if (spec) checkColumn(name, spec, field);
  if (!field) throw corrupt(name, `the file of column "${column}" holds ${table.schema.fields.map((f) => `"${f.name}"`).join(', ') || 'no column'}`);
  if (table.numRows !== rows) throw corrupt(name, `column "${column}" has ${table.numRows} rows, the manifest says ${rows}`);
  return { field, vector: table.getChild(column)! };
}

/** The table of the given columns, in the order the manifest lists them (the writer's: the spec's). */
export function assembleColumns(entry: Entry, columns: ReadonlyMap<string, { field: Field; vector: Vector }>): Table {
  const order = Object.keys(entry.columns ?? {}).filter((c) => columns.has(c));
  const fields = order.map((c) => columns.get(c)!.field);
  const vectors: Record<string, Vector> = {};
  for (const c of order) vectors[c] = columns.get(c)!.vector;
  return new Table(new Schema(fields), vectors);
}

/**
 * The columns of a table stored column by column that a read decodes: those `selection` names for the table, or
 * all of them (also when it names none of them: a table of no columns would have no rows either).
 */
export function columnsToRead(name: TableName, entry: Entry, selection: ColumnSelection | undefined): Set<string> {
  const listed = Object.keys(entry.columns ?? {});
  const wanted = selection?.[name];
  const picked = wanted ? listed.filter((c) => wanted.includes(c)) : [];
  return new Set(picked.length ? picked : listed);
}

/** Every column the spec lists must be listed by the manifest, read now or later. */
export function checkColumnsListed(name: TableName, entry: Entry): void {
  if (!entry.columns) return;
  for (const spec of TABLE_SPECS[name].columns) {
    if (!(spec.name in entry.columns)) throw corrupt(name, `column "${spec.name}" is not listed in the manifest's columns`);
  }
}
