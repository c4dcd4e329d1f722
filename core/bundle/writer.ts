import { zipSync, strToU8, type Zippable } from 'fflate';
import { tableToIPC, type Table } from 'apache-arrow';
import { Manifest, type ManifestInput } from './manifest.ts';
import { MANIFEST_PATH } from './version.ts';
import { tablePath, type TableName } from './tables.ts';
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
 * Writes a bundle: manifest.json, one Arrow IPC file per table, and raw/ captures, in one zip.
 * The manifest is validated first, so a bundle this writes always reads back. Tables are written in the compact
 * layout of the current format (compact.ts), whatever layout they were read or built in.
 */
export function writeBundle(contents: BundleContents, level: 0 | 1 | 6 | 9 = 6): Uint8Array {
  const files: Zippable = {};
  const tables: Record<string, { path: string; rows: number }> = {};
  for (const [name, table] of Object.entries(contents.tables) as [TableName, Table | undefined][]) {
    if (!table) continue;
    const path = tablePath(name);
    files[path] = [tableToIPC(compactTable(name, table), 'file'), { level }];
    tables[name] = { path, rows: table.numRows };
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
