import type { Field, Table, Vector } from 'apache-arrow';
import type { z } from 'zod';
import { Manifest } from './manifest.ts';
import { BundleErrorException, formatBytes, formatCount, type BundleError } from './errors.ts';
import { BUNDLE_LIMITS, checkManifestShape, columnByteLimit, tableByteLimit } from './limits.ts';
import { migrateManifest } from './migrations.ts';
import { describeFirstBytes, guessFormat, isZipStart, parseLfsPointer } from './sniff.ts';
import { chunksOf, sizeOf, type ByteSource } from './source.ts';
import { isTableName, type TableName } from './tables.ts';
import { concatBytes } from '../bytes/concat.ts';
import { UnzipCollector, type EntryPlan, type HeldEntry } from './unzip-stream.ts';
import { assembleColumns, checkColumnsListed, columnsToRead, decodeColumn, decodeTable, type ColumnSelection } from './table-decode.ts';
import { FORMAT_MAJOR, MANIFEST_PATH, parseSemver } from './version.ts';

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
  /**
   * Only these columns of these tables are decoded where a table is stored column by column (format 2's large
   * tables); the others stay compressed in `Bundle.unread` until completeBundle() decodes them. Tables kept whole,
   * and tables not named, are read whole.
   */
  readonly columns?: ColumnSelection;
}

/** What a projected read (ReadOptions.columns) left compressed. */
export interface UnreadColumns {
  /** By table, the columns not decoded yet. */
  readonly columns: Partial<Record<TableName, readonly string[]>>;
  readonly entries: readonly HeldEntry[];
}

export interface Bundle {
  readonly manifest: Manifest;
  readonly tables: Partial<Record<TableName, Table>>;
  readonly raw: ReadonlyMap<string, Uint8Array>;
  /** Every entry name in the zip, in order. */
  readonly entries: readonly string[];
  /** Things that did not stop the read but a user should know (e.g. an older format that was migrated). */
  readonly warnings: readonly string[];
  /** Columns a projected read left compressed; absent when every table is whole. */
  readonly unread?: UnreadColumns;
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
  let limits = new Map<string, { limit: number; basis: string; hold?: boolean }>();
  const plan = (name: string): EntryPlan => {
    if (name === MANIFEST_PATH) {
      if (parsed) return { action: 'skip' };
      return { action: 'keep', limit: BUNDLE_LIMITS.manifestBytes, basis: `a manifest may hold at most ${formatBytes(BUNDLE_LIMITS.manifestBytes)}` };
    }
    if (!name.startsWith('tables/') && !(options.keepRaw && name.startsWith('raw/'))) return { action: 'skip' };
    if (!parsed) return { action: 'defer' };
    const bound = limits.get(name);
    if (!bound) return { action: 'skip' };
    if (bound.hold) return { action: 'hold', limit: bound.limit, basis: bound.basis };
    // Tables and captures are inflated after the zip is read, by the platform's inflate where there is one.
    return { action: 'keep', limit: bound.limit, basis: bound.basis, later: true };
  };
  const onEntry = (name: string, bytes: Uint8Array) => {
    if (name !== MANIFEST_PATH) return;
    parsed = parseManifest(bytes);
    limits = entryLimits(parsed.manifest, !!options.keepRaw, options.columns);
  };
  const collector = new UnzipCollector({ plan, onEntry, ...(signal ? { signal } : {}) });

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

  if (!parsed) {
    collector.finish();
    throw new BundleErrorException({ kind: 'no-manifest', entries: collector.names.slice(0, 100) });
  }
  collector.finish();
  const { manifest, warnings } = parsed as { manifest: Manifest; warnings: string[] };

  const decodedTables = new Map<TableName, Table>();
  const held = collector.held();
  const heldNames = new Set(held.map((h) => h.name));
  const unreadColumns: Partial<Record<TableName, string[]>> = {};
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
    const files = await collector.inflatePending(signal, tableEntryPaths(entry));
    const table = entry.path !== undefined ? decodeTable(name, entryBytes(files, name, entry.path), entry.rows) : readColumns(name, entry, files, heldNames, options.columns, unreadColumns);
    decodedTables.set(name, table);
    decoded++;
    options.onTable?.(name, table, manifest);
    // Yield so a cancel message can be handled between tables.
    await Promise.resolve();
  }
  const tables: Partial<Record<TableName, Table>> = {};
  for (const [name] of listed) if (isTableName(name) && decodedTables.has(name)) tables[name] = decodedTables.get(name)!;
  const listedPaths = new Set(listed.flatMap(([, e]) => (e ? tableEntryPaths(e) : [])));
  for (const n of new Set(collector.names)) {
    if (n.startsWith('tables/') && !listedPaths.has(n)) {
      const declared = collector.declaredSize(n);
      warnings.push(`${n} is not listed in the manifest and was ignored${declared !== null ? ` (its zip header says ${formatBytes(declared)})` : ''}`);
    }
  }
  const files = await collector.inflatePending(signal);
  const raw = new Map<string, Uint8Array>();
  for (const [n, b] of files) if (n.startsWith('raw/')) raw.set(n, b);
  onProgress?.({ phase: 'done', bytesRead: collector.bytesRead, totalBytes: total, fraction: 1 });
  const bundle: Bundle = { manifest, tables, raw, entries: collector.names, warnings };
  return held.length ? { ...bundle, unread: { columns: unreadColumns, entries: held } } : bundle;
}

type TableEntryOf = NonNullable<Manifest['tables'][string]>;

/** The zip entries a table lies in: its one file, or one per column. */
export function tableEntryPaths(entry: TableEntryOf): string[] {
  return entry.path !== undefined ? [entry.path] : Object.values(entry.columns ?? {});
}

function entryBytes(files: ReadonlyMap<string, Uint8Array>, table: string, path: string): Uint8Array {
  const bytes = files.get(path);
  if (!bytes) throw new BundleErrorException({ kind: 'table-missing', table, path });
  return bytes;
}

/** A table stored column by column: the columns this read decodes, assembled; the others noted in `unread`. */
function readColumns(
  name: TableName,
  entry: TableEntryOf,
  files: ReadonlyMap<string, Uint8Array>,
  held: ReadonlySet<string>,
  selection: ColumnSelection | undefined,
  unread: Partial<Record<TableName, string[]>>,
): Table {
  checkColumnsListed(name, entry);
  const toRead = columnsToRead(name, entry, selection);
  const decoded = new Map<string, { field: Field; vector: Vector }>();
  for (const [column, path] of Object.entries(entry.columns ?? {})) {
    if (toRead.has(column)) decoded.set(column, decodeColumn(name, column, entryBytes(files, name, path), entry.rows));
    else if (!held.has(path)) throw new BundleErrorException({ kind: 'table-missing', table: name, path });
    else (unread[name] ??= []).push(column);
  }
  return assembleColumns(entry, decoded);
}

/**
 * The most bytes each table or column (and, with keepRaw, each raw capture) the manifest lists may inflate to, by
 * entry path; `hold` marks the columns a projected read leaves compressed.
 */
function entryLimits(manifest: Manifest, keepRaw: boolean, selection?: ColumnSelection): Map<string, { limit: number; basis: string; hold?: boolean }> {
  const out = new Map<string, { limit: number; basis: string; hold?: boolean }>();
  // Two names pointing at one path: the larger limit (the read then fails on the table that does not match).
  const set = (path: string, bound: { limit: number; basis: string; hold?: boolean }) => {
    const before = out.get(path);
    if (!before) out.set(path, bound);
    else out.set(path, { ...(before.limit < bound.limit ? bound : before), hold: !!before.hold && !!bound.hold });
  };
  for (const [name, entry] of Object.entries(manifest.tables)) {
    if (!entry || !isTableName(name)) continue;
    if (entry.path !== undefined) {
      set(entry.path, tableByteLimit(name, entry.rows));
      continue;
    }
    const toRead = columnsToRead(name, entry, selection);
    for (const [column, path] of Object.entries(entry.columns ?? {})) {
      set(path, { ...columnByteLimit(name, column, entry.rows), hold: !toRead.has(column) });
    }
  }
  if (keepRaw) {
    for (const r of manifest.raw) {
      if (!out.has(r.path)) out.set(r.path, { limit: r.bytes, basis: `the manifest says the capture has ${formatCount(r.bytes)} bytes` });
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
  // A migration step ran (an older major), whether or not it rewrote formatVersion.
  if ((parseSemver(migrated.from)?.major ?? FORMAT_MAJOR) < FORMAT_MAJOR || migrated.from !== parsed.data.formatVersion) {
    warnings.push(`migrated from format ${migrated.from}`);
  }
  return { manifest: parsed.data, warnings };
}

function issueText(issue: z.core.$ZodIssue): string {
  return issue.message.replace(/^Invalid input: /, '');
}

export function jsonPath(path: readonly PropertyKey[]): string {
  return '$' + path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`)).join('');
}
