import { tableFromIPC, Type, type Table, type DataType } from 'apache-arrow';
import type { z } from 'zod';
import { Manifest } from './manifest.ts';
import { BundleErrorException, type BundleError } from './errors.ts';
import { migrateManifest } from './migrations.ts';
import { describeFirstBytes, guessFormat, isZipStart, parseLfsPointer } from './sniff.ts';
import { chunksOf, sizeOf, type ByteSource } from './source.ts';
import { TABLE_SPECS, isTableName, type ColumnKind, type TableName } from './tables.ts';
import { UnzipCollector, concat } from './unzip-stream.ts';
import { MANIFEST_PATH } from './version.ts';

export interface ReadProgress {
  readonly phase: 'reading' | 'decoding' | 'done';
  readonly bytesRead: number;
  readonly totalBytes: number | null;
  /** 0..1 over the whole read, decoding included. */
  readonly fraction: number;
  readonly table?: string;
}

export interface ReadOptions {
  readonly onProgress?: (p: ReadProgress) => void;
  readonly signal?: AbortSignal;
  /** Keep raw/ captures in memory (off by default: they can be large and the views do not need them). */
  readonly keepRaw?: boolean;
  readonly chunkBytes?: number;
}

export interface Bundle {
  readonly manifest: Manifest;
  readonly tables: Partial<Record<TableName, Table>>;
  readonly raw: ReadonlyMap<string, Uint8Array>;
  /** Every entry name in the zip, in order. */
  readonly entries: readonly string[];
  /** Things that did not stop the read but a user should know (e.g. an older format that was migrated). */
  readonly warnings: readonly string[];
}

export type ReadResult = { ok: true; bundle: Bundle } | { ok: false; error: BundleError };

const SNIFF_BYTES = 64;
// Reading the bytes is most of the work; decoding Arrow is quick. The split keeps the bar honest enough.
const READ_SHARE = 0.85;

/** Reads a bundle from a stream of chunks. Never throws: every failure comes back as a typed error. */
export async function readBundle(source: ByteSource, options: ReadOptions = {}): Promise<ReadResult> {
  try {
    return { ok: true, bundle: await read(source, options) };
  } catch (e) {
    // An aborted fetch rejects with its own error; the user only asked to stop.
    if (options.signal?.aborted) return { ok: false, error: { kind: 'cancelled' } };
    if (e instanceof BundleErrorException) return { ok: false, error: e.error };
    return { ok: false, error: { kind: 'read-failed', detail: e instanceof Error ? e.message : String(e) } };
  }
}

async function read(source: ByteSource, options: ReadOptions): Promise<Bundle> {
  const total = sizeOf(source);
  const { onProgress, signal } = options;
  const checkCancel = () => {
    if (signal?.aborted) throw new BundleErrorException({ kind: 'cancelled' });
  };
  const want = (name: string) => name === MANIFEST_PATH || name.startsWith('tables/') || (!!options.keepRaw && name.startsWith('raw/'));
  const collector = new UnzipCollector(want);

  let head: Uint8Array[] = [];
  let headBytes = 0;
  let sniffed = false;
  const sniff = (bytes: Uint8Array) => {
    if (bytes.byteLength === 0) throw new BundleErrorException({ kind: 'empty-file' });
    const lfs = parseLfsPointer(bytes);
    if (lfs) throw new BundleErrorException({ kind: 'lfs-pointer', ...lfs });
    if (!isZipStart(bytes)) {
      throw new BundleErrorException({ kind: 'not-a-zip', firstBytes: describeFirstBytes(bytes), looksLike: guessFormat(bytes) });
    }
  };

  const iterator = chunksOf(source, options.chunkBytes)[Symbol.asyncIterator]();
  let next = await iterator.next();
  while (!next.done) {
    checkCancel();
    const chunk = next.value;
    next = await iterator.next();
    const final = !!next.done;
    if (!sniffed) {
      head.push(chunk);
      headBytes += chunk.byteLength;
      if (headBytes < SNIFF_BYTES && !final) continue;
      const start = concat(head);
      // An LFS pointer is small; look at all of it (up to 1 KiB) before deciding.
      sniff(start.byteLength <= 1024 ? start : start.subarray(0, 1024));
      sniffed = true;
      head = [];
      collector.push(start, final);
    } else {
      collector.push(chunk, final);
    }
    onProgress?.({
      phase: 'reading',
      bytesRead: collector.bytesRead,
      totalBytes: total,
      fraction: total ? READ_SHARE * (collector.bytesRead / total) : 0,
    });
  }
  if (!sniffed) sniff(concat(head));
  checkCancel();

  const files = collector.finish();
  const manifestBytes = files.get(MANIFEST_PATH);
  if (!manifestBytes) throw new BundleErrorException({ kind: 'no-manifest', entries: collector.names });
  const { manifest, warnings } = parseManifest(manifestBytes);

  const tables: Partial<Record<TableName, Table>> = {};
  const listed = Object.entries(manifest.tables);
  let decoded = 0;
  for (const [name, entry] of listed) {
    checkCancel();
    if (!entry) continue;
    if (!isTableName(name)) {
      warnings.push(`table "${name}" is newer than this version of Telemetry Lab and was not read`);
      continue;
    }
    onProgress?.({
      phase: 'decoding',
      bytesRead: collector.bytesRead,
      totalBytes: total,
      table: name,
      fraction: READ_SHARE + (1 - READ_SHARE) * (decoded / listed.length),
    });
    const bytes = files.get(entry.path);
    if (!bytes) throw new BundleErrorException({ kind: 'table-missing', table: name, path: entry.path });
    tables[name] = decodeTable(name, bytes, entry.rows);
    decoded++;
    // Yield so a cancel message can be handled between tables.
    await Promise.resolve();
  }
  for (const n of collector.names) {
    if (n.startsWith('tables/') && !listed.some(([, e]) => e?.path === n)) warnings.push(`${n} is not listed in the manifest and was ignored`);
  }
  const raw = new Map<string, Uint8Array>();
  for (const [n, b] of files) if (n.startsWith('raw/')) raw.set(n, b);
  onProgress?.({ phase: 'done', bytesRead: collector.bytesRead, totalBytes: total, fraction: 1 });
  return { manifest, tables, raw, entries: collector.names, warnings };
}

export function parseManifest(bytes: Uint8Array): { manifest: Manifest; warnings: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new BundleErrorException({ kind: 'manifest-invalid', path: '$', detail: `not valid JSON (${(e as Error).message})` });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new BundleErrorException({ kind: 'manifest-invalid', path: '$', detail: 'expected a JSON object' });
  }
  const migrated = migrateManifest(json as Record<string, unknown>);
  if (!migrated.ok) throw new BundleErrorException(migrated.error);
  const parsed = Manifest.safeParse(migrated.manifest);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BundleErrorException({ kind: 'manifest-invalid', path: jsonPath(issue.path), detail: issueText(issue) });
  }
  const warnings: string[] = [];
  if (migrated.from !== parsed.data.formatVersion) warnings.push(`migrated from format ${migrated.from}`);
  return { manifest: parsed.data, warnings };
}

function issueText(issue: z.core.$ZodIssue): string {
  return issue.message.replace(/^Invalid input: /, '');
}

export function jsonPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`)).join('');
}

function matchesKind(type: DataType, kind: ColumnKind): boolean {
  switch (kind) {
    case 'i64':
      return type.typeId === Type.Int && (type as unknown as { bitWidth: number }).bitWidth === 64;
    case 'i32':
      return type.typeId === Type.Int && (type as unknown as { bitWidth: number }).bitWidth <= 32;
    case 'f64':
      return type.typeId === Type.Float || type.typeId === Type.Int;
    case 'dict':
      return type.typeId === Type.Dictionary || type.typeId === Type.Utf8;
    case 'utf8':
      return type.typeId === Type.Utf8 || type.typeId === Type.Dictionary;
  }
}

function decodeTable(name: TableName, bytes: Uint8Array, rows: number): Table {
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new BundleErrorException({ kind: 'table-corrupt', table: name, detail: `not a readable Arrow IPC file (${(e as Error).message})` });
  }
  for (const spec of TABLE_SPECS[name].columns) {
    const field = table.schema.fields.find((f) => f.name === spec.name);
    if (!field) throw new BundleErrorException({ kind: 'table-corrupt', table: name, detail: `column "${spec.name}" is missing` });
    if (!matchesKind(field.type, spec.kind)) {
      throw new BundleErrorException({ kind: 'table-corrupt', table: name, detail: `column "${spec.name}" has type ${String(field.type)}, expected ${spec.kind}` });
    }
  }
  if (table.numRows !== rows) {
    throw new BundleErrorException({ kind: 'table-corrupt', table: name, detail: `has ${table.numRows} rows, the manifest says ${rows}` });
  }
  return table;
}
