import { zipSync, strToU8, type Zippable } from 'fflate';
import { Schema, Table, tableToIPC } from 'apache-arrow';
import { Manifest, type ManifestInput } from './manifest.ts';
import { MANIFEST_PATH } from './version.ts';
import { tableColumnPath, tablePath, type TableName } from './tables.ts';
import { compactTable } from './compact.ts';

export interface RawCapture {
  /** Name under raw/, e.g. "strace.log". */
  readonly name: string;
  readonly source: string;
  readonly description: string;
  readonly data: Uint8Array;
}

export interface BundleContents {
  /** The manifest without `tables` and `raw`, which the writer fills from what it writes. */
  readonly manifest: Omit<ManifestInput, 'tables' | 'raw'>;
  readonly tables: Partial<Record<TableName, Table>>;
  readonly raw?: readonly RawCapture[];
}

/**
 * Rows from which a table is stored column by column (format 2): a reader that needs a few of its columns (the
 * overview reads 4 of sched's 17) then inflates only those. Below this a table is small enough to read whole, and
 * one file saves each column's Arrow schema, footer and zip header (about half a kilobyte).
 */
export const COLUMN_FILES_FROM_ROWS = 20_000;

type WrittenEntry = { path: string; rows: number } | { columns: Record<string, string>; rows: number };

/**
 * Writes a bundle: manifest.json, the tables as Arrow IPC files (a large table one file per column), and raw/
 * captures, in one zip. The manifest is validated first, so a bundle this writes always reads back. Tables are
 * written in the compact layout of the current format (compact.ts), whatever layout they were read or built in.
 */
export function writeBundle(contents: BundleContents, level: 0 | 1 | 6 | 9 = 6): Uint8Array {
  const files: Zippable = {};
  const tables: Record<string, WrittenEntry> = {};
  for (const [name, table] of Object.entries(contents.tables) as [TableName, Table | undefined][]) {
    if (!table) continue;
    const compact = compactTable(name, table);
    if (table.numRows < COLUMN_FILES_FROM_ROWS) {
      const path = tablePath(name);
      files[path] = [tableToIPC(compact, 'file'), { level }];
      tables[name] = { path, rows: table.numRows };
      continue;
    }
    const columns: Record<string, string> = {};
    for (const field of compact.schema.fields) {
      const path = tableColumnPath(name, field.name);
      const alone = new Table(new Schema([field], compact.schema.metadata), { [field.name]: compact.getChild(field.name)! });
      files[path] = [tableToIPC(alone, 'file'), { level }];
      columns[field.name] = path;
    }
    tables[name] = { columns, rows: table.numRows };
  }
  const raw = (contents.raw ?? []).map((r) => {
    const path = `raw/${r.name}`;
    files[path] = [r.data, { level }];
    return { path, source: r.source, description: r.description, bytes: r.data.byteLength };
  });
  const manifest = Manifest.parse({ ...contents.manifest, tables, raw });
  // The manifest goes first so a streaming reader learns what to expect before the tables arrive.
  const ordered: Zippable = { [MANIFEST_PATH]: [strToU8(JSON.stringify(manifest, null, 2)), { level: 6 }], ...files };
  return zipSync(ordered, { mtime: new Date(manifest.createdAt) });
}
