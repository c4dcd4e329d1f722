import type { BundleError, Manifest, TableName } from '../../core/bundle/index.ts';
import type { CsvMapping } from '../../core/importers/importer.ts';
import type { Overview, TimeWindow } from '../../core/overview/index.ts';
import type { TableFilter, TablePage } from '../../core/overview/table-page.ts';
import type { StoreStats } from './bundle-store.ts';
import type { TimelineApi } from './timeline.ts';

/** Where a bundle comes from: a dropped or picked file, or a URL (the demo datasets). */
export type LoadSource =
  /**
   * `trace`: for a KernelOracle CSV of several traces, the trace_id to open (default the first). `csv`: read the
   * file as a time-series CSV with these columns (the CSV mapping the page offers).
   */
  | { kind: 'file'; file: File; trace?: string; csv?: CsvMapping }
  /** Several files dropped at once: strace -ff per-task files, merged into one bundle. */
  | { kind: 'files'; files: File[] }
  /** `bytes`: the size the datasets index gives, the progress bar's total when the response has no Content-Length. */
  | { kind: 'url'; url: string; name: string; bytes?: number };

export interface LoadProgress {
  readonly phase: 'fetching' | 'reading' | 'importing' | 'decoding' | 'summarising' | 'done';
  readonly bytesRead: number;
  readonly totalBytes: number | null;
  readonly fraction: number;
  readonly table?: string;
  readonly mbPerSecond: number;
}

/** Set when the file was a capture of another tool (strace log, trace text, perf CSV) turned into a bundle. */
export interface ImportedFrom {
  readonly format: string;
  readonly lines: number;
  readonly problemCount: number;
}

export interface LoadedBundle {
  readonly name: string;
  /** The loader's id of this open bundle: a lab asks for it as `{ bundleId, name }` and it is not read again. */
  readonly bundleId: string | null;
  readonly imported: ImportedFrom | null;
  readonly bytes: number;
  readonly manifest: Manifest;
  readonly tables: readonly { name: TableName; rows: number }[];
  readonly warnings: readonly string[];
  readonly overview: Overview;
  readonly timings: { readonly readMs: number; readonly overviewMs: number };
  /** Tables still being decoded: set on the partial bundles `open` hands out before the whole one. */
  readonly pending?: readonly { name: TableName; rows: number }[];
}

export type LoadResult = { ok: true; bundle: LoadedBundle } | { ok: false; error: BundleError };

export interface BundleLoaderApi extends TimelineApi {
  /**
   * Reads or imports a file. `onPartial` hears the bundle as its tables arrive (the overview of the tables
   * decoded so far, smallest first, `pending` naming the rest) whenever a large table is still to come.
   */
  open(source: LoadSource, onProgress: (p: LoadProgress) => void, onPartial?: (partial: LoadedBundle) => void): Promise<LoadResult>;
  cancel(): void;
  /**
   * Serves a lab worker's bundle requests on `port` (workers/bundle-loader/lab-port.ts) from the bundles this
   * worker holds, reading a source only when no one has opened it yet.
   */
  connectLab(id: number, port: MessagePort): void;
  /** The lab worker behind connection `id` is gone: its port is closed. */
  disconnectLab(id: number): void;
  /** How many sources were read from their bytes and how many requests were answered from open bundles. */
  labStats(): StoreStats;
  /**
   * The overview of a zoomed window (full detail of that span, sliced from the kept columns), or of everything
   * with null; null when a newer zoom arrived before this one was started (superseded, not worth drawing).
   */
  overview(window: TimeWindow | null): Promise<Overview | null>;
  /** The loaded bundle as a .tlab file (for captures imported in the browser). */
  bundleFile(): Promise<Blob>;
  /**
   * Up to `limit` (at most 1000) rows of a table from `offset`, as display strings, from the decoded columns:
   * O(limit) per page. With a filter, the offset counts the rows it keeps.
   */
  tablePage(table: TableName, offset: number, limit: number, filter?: TableFilter | null): Promise<TablePage>;
  /** The whole table as CSV, built in the worker. */
  csv(table: TableName): Promise<Blob>;
  /** The bundle as a Chrome JSON trace that ui.perfetto.dev opens, built in the worker. */
  perfettoTrace(): Promise<Blob>;
}
