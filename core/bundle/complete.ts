import type { Field, Table, Vector } from 'apache-arrow';
import { BundleErrorException, describeBundleError } from './errors.ts';
import type { Bundle } from './reader.ts';
import { assembleColumns, decodeColumn } from './table-decode.ts';
import type { TableName } from './tables.ts';
import { UnzipCollector } from './unzip-stream.ts';

// One completion per bundle, shared by every caller (the overview's table view and a lab asking at once).
const completions = new WeakMap<Bundle, Promise<Bundle>>();

/**
 * The bundle with every column decoded: what a projected read (ReadOptions.columns) left compressed is inflated,
 * against the limits of the first read, and joined to the columns read then. A bundle read whole is returned as
 * it is. When a column turns out corrupt it rejects with an Error that says so in words, its `cause` the typed
 * BundleErrorException; a failed completion is not kept, so it can be asked again.
 */
export function completeBundle(bundle: Bundle, signal?: AbortSignal): Promise<Bundle> {
  if (!bundle.unread) return Promise.resolve(bundle);
  let done = completions.get(bundle);
  if (!done) {
    done = complete(bundle, signal).catch((e: unknown) => {
      if (!(e instanceof BundleErrorException)) throw e;
      const { title, detail } = describeBundleError(e.error);
      throw new Error(`the columns left for later could not be read: ${title}. ${detail}`, { cause: e });
    });
    completions.set(bundle, done);
    done.catch(() => completions.delete(bundle));
  }
  return done;
}

async function complete(bundle: Bundle, signal?: AbortSignal): Promise<Bundle> {
  const unread = bundle.unread!;
  const files = await UnzipCollector.inflateHeld(unread.entries, signal);
  const tables: Partial<Record<TableName, Table>> = { ...bundle.tables };
  for (const [name, missing] of Object.entries(unread.columns) as [TableName, readonly string[]][]) {
    const entry = bundle.manifest.tables[name]!;
    const paths = entry.columns!;
    const columns = new Map<string, { field: Field; vector: Vector }>();
    const had = bundle.tables[name];
    for (const f of had?.schema.fields ?? []) columns.set(f.name, { field: f, vector: had!.getChild(f.name)! });
    for (const c of missing) {
      const bytes = files.get(paths[c]!);
      if (!bytes) throw new BundleErrorException({ kind: 'table-missing', table: name, path: paths[c]! });
      columns.set(c, decodeColumn(name, c, bytes, entry.rows));
    }
    tables[name] = assembleColumns(entry, columns);
  }
  const { unread: _unread, ...whole } = bundle;
  return { ...whole, tables };
}
