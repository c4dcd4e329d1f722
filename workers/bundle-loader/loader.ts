import { chromeTraceJson } from '../../core/exporters/chrome-trace.ts';
import type { Table } from 'apache-arrow';
import { completeBundle, writeBundle, type Bundle, type ByteSource, type Manifest, type ReadResult, type TableName } from '../../core/bundle/index.ts';
import { openSource } from '../../core/importers/open-source.ts';
import { ImportError } from '../../core/importers/errors.ts';
import { detectCapture, SAMPLE_BYTES } from '../../core/importers/registry.ts';
import { importStraceFiles } from '../../core/importers/strace-files.ts';
import { OVERVIEW_COLUMNS, overviewOf, prepareOverview, tableToCsv, type Overview, type PreparedOverview, type TimeWindow } from '../../core/overview/index.ts';
import type { BundleLoaderApi, ImportedFrom, LoadedBundle, LoadProgress, LoadResult, LoadSource } from './protocol.ts';
import { filterRows, tablePage, type TableFilter, type TablePage } from '../../core/overview/table-page.ts';
import { BundleStore, STORE_BYTES } from './bundle-store.ts';
import { sourceKey } from './lab-protocol.ts';
import { serveLabPort } from './lab-port.ts';
import { createTimelines } from './timeline.ts';
import { yieldToEvents } from './yield.ts';

/** A dropped file that is not a bundle but a capture we can import: which format, by content. */
async function captureFormat(file: File) {
  return detectCapture(new Uint8Array(await file.slice(0, SAMPLE_BYTES).arrayBuffer()));
}

async function* streamChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The store key of what the overview opens, when a lab could ask for the same (a CSV mapping or trace choice is not). */
function storeKeyOf(source: LoadSource): string | null {
  if (source.kind === 'url') return sourceKey({ url: source.url });
  if (source.kind === 'file' && source.trace === undefined && !source.csv) return sourceKey({ file: source.file });
  return null;
}

/** Rows of the next table to decode above which the tables decoded so far are worth drawing first. */
const PARTIAL_ROWS = 50_000;

/**
 * The bundle reader's onTable: just before a large table is decoded (the reader goes smallest first), the
 * overview of the tables so far goes to the page, so usage charts are drawn before the sched table is decoded.
 * Only then: each partial is prepared and drawn whole, so one after every small table would be work done again.
 */
function partialOverview(
  name: string,
  bytes: () => number,
  started: number,
  send: (b: LoadedBundle) => void,
  aborted: () => boolean,
  adopt: (b: Bundle, p: PreparedOverview) => void,
) {
  const tables: Partial<Record<TableName, Table>> = {};
  let last: { bundle: Bundle; prepared: PreparedOverview } | null = null;
  return (table: TableName, t: Table, manifest: Manifest) => {
    tables[table] = t;
    if (aborted()) return;
    const pending = (Object.entries(manifest.tables) as [TableName, { rows: number } | undefined][])
      .filter(([n, e]) => e && !tables[n])
      .map(([n, e]) => ({ name: n, rows: e!.rows }));
    if (!pending.length || Math.min(...pending.map((p) => p.rows)) < PARTIAL_ROWS) return;
    const partial: Bundle = { manifest, tables: { ...tables }, raw: new Map(), entries: [], warnings: [] };
    // A partial before this one computed the smaller tables' parts already: they are taken over.
    const prepared = prepareOverview(partial, last);
    last = { bundle: partial, prepared };
    // The page now shows the partial bundle: its zooms and views must be answered from it, not the one before.
    adopt(partial, prepared);
    const readMs = performance.now() - started;
    send({
      name,
      bundleId: null,
      imported: null,
      bytes: bytes(),
      manifest,
      tables: (Object.entries(partial.tables) as [TableName, Table][]).map(([n, tt]) => ({ name: n, rows: tt.numRows })),
      warnings: [],
      overview: overviewOf(prepared),
      timings: { readMs, overviewMs: performance.now() - started - readMs },
      pending,
    });
  };
}

/**
 * The loader's state lives here, in the worker, which owns the open bundle like Perfetto's trace processor: the
 * decoded tables and what is derived from them (the overview's full-resolution series and scheduler columns, the
 * timelines' slices) are made once and kept, and every later request (a zoom, a timeline span, a table as CSV)
 * is answered from them. Nothing decoded crosses to the main thread; answers are small.
 */
export function createLoader(): BundleLoaderApi {
  let current: Bundle | null = null;
  let prepared: PreparedOverview | null = null;
  let abort: AbortController | null = null;
  // Zoom requests carry no id of their own: each gets a ticket, and one overtaken by a newer one is not worked out.
  let zoomTickets = 0;
  // The timeline views (issue 13) read the same tables, so they live where the tables are.
  const timelines = createTimelines(() => current);
  // The open bundle with every column: the overview is drawn from the columns it reads (OVERVIEW_COLUMNS), the
  // rest are decoded when first asked for (a table page, an export, the timelines, a lab).
  const whole = async (): Promise<Bundle> => {
    if (!current) throw new Error('no bundle is loaded');
    return completeBundle(current);
  };
  // Every bundle the page or a lab opened, so a lab asking for one open in the overview does not read it again.
  const store = new BundleStore(STORE_BYTES);
  // Each lab worker's port, by the page's connection number, closed when the page says the lab is gone.
  const labPorts = new Map<number, MessagePort>();
  // The last filter's matches: paging through them is O(page), the O(rows) scan is done once per filter.
  let filtered: { table: Table; key: string; matches: Int32Array } | null = null;
  let opens = 0;

  const loaded = (bundle: Bundle, name: string, bytes: number, imported: ImportedFrom | null, started: number, key: string | null): LoadResult => {
    const readMs = performance.now() - started;
    // While it decoded, `current` was the partial bundle the page drew: its parts are reused (only parts made of
    // the very same tables are; any other bundle's are not).
    const p = prepareOverview(bundle, current && prepared ? { bundle: current, prepared } : null);
    const overview = overviewOf(p);
    current = bundle;
    prepared = p;
    filtered = null;
    // Kept for the labs under an id of its own, and under its source where a lab could name the same source.
    const bundleId = `open:${++opens}`;
    store.put(key ? [key, bundleId] : bundleId, bundle);
    return {
      ok: true,
      bundle: {
        name,
        bundleId,
        imported,
        bytes,
        manifest: bundle.manifest,
        tables: (Object.entries(bundle.tables) as [TableName, { numRows: number }][]).map(([n, t]) => ({ name: n, rows: t.numRows })),
        warnings: bundle.warnings,
        overview,
        timings: { readMs, overviewMs: performance.now() - started - readMs },
      },
    };
  };

  /** Several dropped files: only strace -ff per-task files make sense together. */
  const openSeveral = async (files: File[], onProgress: (p: LoadProgress) => void, started: number): Promise<LoadResult> => {
    const formats = await Promise.all(files.map(captureFormat));
    if (!formats.every((f) => f === 'strace')) {
      return {
        ok: false,
        error: {
          kind: 'read-failed',
          detail: `${files.length} files were dropped; together they can only be strace -ff per-task files (these are: ${files.map((f, i) => `${f.name}: ${formats[i] ?? 'not a capture'}`).join(', ')}). Drop one bundle or capture at a time.`,
        },
      };
    }
    const total = files.reduce((n, f) => n + f.size, 0);
    onProgress({ phase: 'importing', bytesRead: 0, totalBytes: total, fraction: 0, mbPerSecond: 0 });
    try {
      const { bundle, report } = await importStraceFiles(files.map((f) => ({ name: f.name, source: f })));
      const result = loaded(bundle, report.file, total, { format: 'strace -ff', lines: report.lines, problemCount: report.problemCount }, started, null);
      onProgress({ phase: 'done', bytesRead: total, totalBytes: total, fraction: 1, mbPerSecond: 0 });
      return result;
    } catch (e) {
      return { ok: false, error: { kind: 'read-failed', detail: `importing ${files.length} strace files failed: ${(e as Error).message}` } };
    }
  };

  return {
    ...timelines,
    async open(source: LoadSource, onProgress: (p: LoadProgress) => void, onPartial?: (partial: LoadedBundle) => void): Promise<LoadResult> {
      abort?.abort();
      const controller = new AbortController();
      abort = controller;
      const before = { current, prepared };
      const started = performance.now();
      let bytes: ByteSource;
      let total: number | null;
      let name: string;
      store.countRead();
      if (source.kind === 'files') {
        return openSeveral(source.files, onProgress, started);
      }
      if (source.kind === 'file') {
        bytes = source.file;
        total = source.file.size;
        name = source.file.name;
      } else {
        name = source.name;
        onProgress({ phase: 'fetching', bytesRead: 0, totalBytes: source.bytes ?? null, fraction: 0, mbPerSecond: 0 });
        let response: Response;
        try {
          response = await fetch(source.url, { signal: controller.signal });
        } catch (e) {
          if (controller.signal.aborted) return { ok: false, error: { kind: 'cancelled' } };
          return { ok: false, error: { kind: 'read-failed', detail: `could not fetch ${source.url}: ${(e as Error).message}` } };
        }
        if (!response.ok || !response.body) {
          return { ok: false, error: { kind: 'read-failed', detail: `fetching ${source.url} answered HTTP ${response.status} ${response.statusText}` } };
        }
        const length = Number(response.headers.get('content-length'));
        // A compressed or chunked response has no usable length: the index's size of the file is the total then.
        const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
        total = !encoded && Number.isFinite(length) && length > 0 ? length : source.bytes && source.bytes > 0 ? source.bytes : null;
        bytes = streamChunks(response.body);
      }
      // Throttle progress messages: one per ~50 ms is smooth and keeps postMessage traffic negligible.
      let lastSent = 0;
      // Without a Content-Length (compressed or chunked responses) the size is what actually arrived.
      let bytesSeen = 0;
      const report = (phase: LoadProgress['phase'], bytesRead: number, fraction: number, table?: string) => {
        bytesSeen = Math.max(bytesSeen, bytesRead);
        const now = performance.now();
        if (now - lastSent < 50 && (phase === 'reading' || phase === 'importing')) return;
        lastSent = now;
        const seconds = (now - started) / 1000;
        onProgress({ phase, bytesRead, totalBytes: total, fraction, ...(table ? { table } : {}), mbPerSecond: seconds > 0 ? bytesRead / 2 ** 20 / seconds : 0 });
      };
      let imported: ImportedFrom | null = null;
      let result: ReadResult;
      // One way in (core/importers/open-source.ts): a bundle is read, a capture imported, anything else refused in words.
      const opened = await openSource(name, bytes, {
        ...(source.kind === 'file' && source.trace !== undefined ? { trace: source.trace } : {}),
        ...(source.kind === 'file' && source.csv ? { format: 'csv' as const, csv: source.csv } : {}),
        signal: controller.signal,
        columns: OVERVIEW_COLUMNS,
        ...(onPartial
          ? {
              onTable: partialOverview(name, () => total ?? bytesSeen, started, onPartial, () => controller.signal.aborted, (b, p) => {
                current = b;
                prepared = p;
              }),
            }
          : {}),
        onImportProgress: (read) => report('importing', read, total ? 0.9 * (read / total) : 0),
        onReadProgress: (p) =>
          report(
            p.phase === 'done' ? 'summarising' : p.phase,
            p.bytesRead,
            total ? (p.phase === 'reading' ? 0.85 * (p.bytesRead / total) : p.fraction) : p.fraction,
            p.table,
          ),
      }).catch((e: unknown) => {
        if (controller.signal.aborted) return null;
        throw e;
      });
      if (opened === null) {
        result = { ok: false, error: { kind: 'cancelled' } };
      } else if (opened.ok) {
        if (opened.imported) imported = { format: opened.imported.format, lines: opened.imported.lines, problemCount: opened.imported.problemCount };
        result = { ok: true, bundle: opened.bundle };
      } else if (opened.error.from === 'bundle') {
        result = { ok: false, error: opened.error.error };
      } else if (opened.error.error instanceof ImportError && opened.error.error.kind === 'empty') {
        // An empty file is neither a bundle nor a capture: the bundle error says so in the page's own words.
        result = { ok: false, error: { kind: 'empty-file' } };
      } else if (opened.error.error instanceof ImportError && opened.error.error.bundleError) {
        // A zip that is not a bundle: the page names what the reader found (e.g. no manifest, with the entries).
        result = { ok: false, error: opened.error.error.bundleError };
      } else {
        result = controller.signal.aborted ? { ok: false, error: { kind: 'cancelled' } } : { ok: false, error: { kind: 'read-failed', detail: opened.error.error.message } };
      }
      if (!result.ok || controller.signal.aborted) {
        // The page goes back to the bundle before, and so does what answers its requests (unless a newer
        // open has taken over meanwhile: then it owns them).
        if (abort === controller) {
          current = before.current;
          prepared = before.prepared;
        }
        return result.ok ? { ok: false, error: { kind: 'cancelled' } } : result;
      }
      const done = loaded(result.bundle, name, total ?? bytesSeen, imported, started, storeKeyOf(source));
      onProgress({ phase: 'done', bytesRead: total ?? bytesSeen, totalBytes: total, fraction: 1, mbPerSecond: 0 });
      return done;
    },
    cancel() {
      abort?.abort();
    },
    async tablePage(table: TableName, offset: number, limit: number, filter?: TableFilter | null): Promise<TablePage> {
      const t = (await whole()).tables[table];
      if (!t) throw new Error(`no table "${table}" in the loaded bundle`);
      let matches: Int32Array | null = null;
      if (filter && filter.text !== '') {
        const key = `${filter.column}\u0000${filter.text}`;
        if (!filtered || filtered.table !== t || filtered.key !== key) filtered = { table: t, key, matches: filterRows(t, filter) };
        matches = filtered.matches;
      }
      return tablePage(t, offset, Math.min(limit, 1000), matches);
    },
    connectLab(id: number, port: MessagePort) {
      serveLabPort(port, store);
      labPorts.set(id, port);
    },
    disconnectLab(id: number) {
      labPorts.get(id)?.close();
      labPorts.delete(id);
    },
    labStats() {
      return store.stats();
    },
    async overview(window: TimeWindow | null): Promise<Overview | null> {
      if (!prepared) throw new Error('no bundle is loaded');
      const ticket = ++zoomTickets;
      // Requests queued behind this one (a slider dragged on) get their tickets first: only the newest is answered.
      await yieldToEvents();
      if (ticket !== zoomTickets || !prepared) return null;
      return overviewOf(prepared, window);
    },
    async bundleFile(): Promise<Blob> {
      const b = await whole();
      return new Blob([writeBundle({ manifest: b.manifest, tables: b.tables }) as Uint8Array<ArrayBuffer>], { type: 'application/zip' });
    },
    async perfettoTrace(): Promise<Blob> {
      return new Blob([...chromeTraceJson(await whole())], { type: 'application/json' });
    },
    async csv(table: TableName): Promise<Blob> {
      const t = (await whole()).tables[table];
      if (!t) throw new Error(`no table "${table}" in the loaded bundle`);
      return new Blob([...tableToCsv(t)], { type: 'text/csv' });
    },
  };
}
