import { tableFromIPC, Type, type Table, type DataType } from 'apache-arrow';
import type { z } from 'zod';
import { Manifest } from './manifest.ts';
import { BundleErrorException, formatBytes, type BundleError } from './errors.ts';
import { BUNDLE_LIMITS, checkManifestShape, tableByteLimit } from './limits.ts';
import { migrateManifest } from './migrations.ts';
import { describeFirstBytes, guessFormat, isZipStart, parseLfsPointer } from './sniff.ts';
import { chunksOf, sizeOf, type ByteSource } from './source.ts';
import { TABLE_SPECS, isTableName, type ColumnKind, type TableName } from './tables.ts';
import { concatBytes } from '../bytes/concat.ts';
import { UnzipCollector, type EntryPlan } from './unzip-stream.ts';
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
  /**
   * Told each table as soon as it is decoded, smallest first (the overview draws usage while a 664k-row sched
   * table is still being decoded). The bundle's `tables` keep the manifest's order all the same.
   */
  readonly onTable?: (name: TableName, table: Table, manifest: Manifest) => void;
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
  // Each entry is inflated against a limit known before its first byte: the manifest against a fixed cap, a table
  // against its row count in the manifest, a raw capture against its size there. Entries the manifest does not
  // list are never inflated; tables or captures that come before the manifest are held compressed until it is read.
  let parsed: { manifest: Manifest; warnings: string[] } | null = null;
  let limits = new Map<string, { limit: number; basis: string }>();
  const plan = (name: string): EntryPlan => {
    if (name === MANIFEST_PATH) {
      if (parsed) return { action: 'skip' };
      return { action: 'keep', limit: BUNDLE_LIMITS.manifestBytes, basis: `a manifest may hold at most ${formatBytes(BUNDLE_LIMITS.manifestBytes)}` };
    }
    if (!name.startsWith('tables/') && !(options.keepRaw && name.startsWith('raw/'))) return { action: 'skip' };
    if (!parsed) return { action: 'defer' };
    const bound = limits.get(name);
    // Tables and captures are inflated after the zip is read, by the platform's inflate where there is one.
    return bound ? { action: 'keep', ...bound, later: true } : { action: 'skip' };
  };
  const onEntry = (name: string, bytes: Uint8Array) => {
    if (name !== MANIFEST_PATH) return;
    parsed = parseManifest(bytes);
    limits = entryLimits(parsed.manifest, !!options.keepRaw);
  };
  const collector = new UnzipCollector({ plan, onEntry });

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
      const start = concatBytes(head);
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
  if (!sniffed) sniff(concatBytes(head));
  checkCancel();

  const files = await collector.finishAsync(signal);
  if (!parsed) throw new BundleErrorException({ kind: 'no-manifest', entries: collector.names.slice(0, 100) });
  const { manifest, warnings } = parsed as { manifest: Manifest; warnings: string[] };

  const decodedTables = new Map<TableName, Table>();
  const listed = Object.entries(manifest.tables);
  let decoded = 0;
  const bySize = [...listed].sort(([, a], [, b]) => (a?.rows ?? 0) - (b?.rows ?? 0));
  for (const [name, entry] of bySize) {
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
    const table = decodeTable(name, bytes, entry.rows);
    decodedTables.set(name, table);
    decoded++;
    options.onTable?.(name, table, manifest);
    // Yield so a cancel message can be handled between tables.
    await Promise.resolve();
  }
  const tables: Partial<Record<TableName, Table>> = {};
  for (const [name] of listed) if (isTableName(name) && decodedTables.has(name)) tables[name] = decodedTables.get(name)!;
  for (const n of new Set(collector.names)) {
    if (n.startsWith('tables/') && !listed.some(([, e]) => e?.path === n)) {
      const declared = collector.declaredSize(n);
      warnings.push(`${n} is not listed in the manifest and was ignored${declared !== null ? ` (its zip header says ${formatBytes(declared)})` : ''}`);
    }
  }
  const raw = new Map<string, Uint8Array>();
  for (const [n, b] of files) if (n.startsWith('raw/')) raw.set(n, b);
  onProgress?.({ phase: 'done', bytesRead: collector.bytesRead, totalBytes: total, fraction: 1 });
  return { manifest, tables, raw, entries: collector.names, warnings };
}

/** The most bytes each table (and, with keepRaw, each raw capture) the manifest lists may inflate to, by entry path. */
function entryLimits(manifest: Manifest, keepRaw: boolean): Map<string, { limit: number; basis: string }> {
  const out = new Map<string, { limit: number; basis: string }>();
  for (const [name, entry] of Object.entries(manifest.tables)) {
    if (!entry || !isTableName(name)) continue;
    const bound = tableByteLimit(name, entry.rows);
    // Two names pointing at one path: the larger limit (the read then fails on the table that does not match).
    if ((out.get(entry.path)?.limit ?? -1) < bound.limit) out.set(entry.path, bound);
  }
  if (keepRaw) {
    for (const r of manifest.raw) {
      if (!out.has(r.path)) out.set(r.path, { limit: r.bytes, basis: `the manifest says the capture has ${r.bytes.toLocaleString('en-US')} bytes` });
    }
  }
  return out;
}

/** Parses manifest.json: its shape is checked on the text first, so JSON.parse never sees deep nesting or huge arrays. */
export function parseManifest(bytes: Uint8Array): { manifest: Manifest; warnings: string[] } {
  if (bytes.byteLength > BUNDLE_LIMITS.manifestBytes) {
    throw new BundleErrorException({
      kind: 'entry-too-large',
      entry: MANIFEST_PATH,
      inflatedBytes: bytes.byteLength,
      declaredBytes: bytes.byteLength,
      limit: BUNDLE_LIMITS.manifestBytes,
      basis: `a manifest may hold at most ${formatBytes(BUNDLE_LIMITS.manifestBytes)}`,
    });
  }
  const text = new TextDecoder().decode(bytes);
  const shape = checkManifestShape(text);
  if (shape) throw new BundleErrorException(shape);
  let json: unknown;
  try {
    json = JSON.parse(text);
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
