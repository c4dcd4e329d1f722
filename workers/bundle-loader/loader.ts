import { readBundle, type Bundle, type ByteSource, type TableName } from '../../core/bundle/index.ts';
import { buildOverview, tableToCsv, type Overview, type TimeWindow } from '../../core/overview/index.ts';
import type { BundleLoaderApi, LoadProgress, LoadResult, LoadSource } from './protocol.ts';

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

/** The loader's state lives here, in the worker: the decoded tables never cross to the main thread. */
export function createLoader(): BundleLoaderApi {
  let current: Bundle | null = null;
  let abort: AbortController | null = null;

  return {
    async open(source: LoadSource, onProgress: (p: LoadProgress) => void): Promise<LoadResult> {
      abort?.abort();
      const controller = new AbortController();
      abort = controller;
      const started = performance.now();
      let bytes: ByteSource;
      let total: number | null;
      let name: string;
      if (source.kind === 'file') {
        bytes = source.file;
        total = source.file.size;
        name = source.file.name;
      } else {
        name = source.name;
        onProgress({ phase: 'fetching', bytesRead: 0, totalBytes: null, fraction: 0, mbPerSecond: 0 });
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
        total = Number.isFinite(length) && length > 0 ? length : null;
        bytes = streamChunks(response.body);
      }
      // Throttle progress messages: one per ~50 ms is smooth and keeps postMessage traffic negligible.
      let lastSent = 0;
      const result = await readBundle(bytes, {
        signal: controller.signal,
        onProgress: (p) => {
          const now = performance.now();
          if (now - lastSent < 50 && p.phase === 'reading') return;
          lastSent = now;
          const seconds = (now - started) / 1000;
          onProgress({
            phase: p.phase === 'done' ? 'summarising' : p.phase,
            bytesRead: p.bytesRead,
            totalBytes: total ?? p.totalBytes,
            fraction: total ? (p.phase === 'reading' ? 0.85 * (p.bytesRead / total) : p.fraction) : p.fraction,
            ...(p.table ? { table: p.table } : {}),
            mbPerSecond: seconds > 0 ? p.bytesRead / 2 ** 20 / seconds : 0,
          });
        },
      });
      if (!result.ok) return result;
      if (controller.signal.aborted) return { ok: false, error: { kind: 'cancelled' } };
      const readMs = performance.now() - started;
      const overview = buildOverview(result.bundle);
      const overviewMs = performance.now() - started - readMs;
      current = result.bundle;
      const size = result.bundle.entries.length ? (total ?? 0) : 0;
      onProgress({ phase: 'done', bytesRead: size, totalBytes: total, fraction: 1, mbPerSecond: 0 });
      return {
        ok: true,
        bundle: {
          name,
          bytes: total ?? 0,
          manifest: result.bundle.manifest,
          tables: (Object.entries(result.bundle.tables) as [TableName, { numRows: number }][]).map(([n, t]) => ({ name: n, rows: t.numRows })),
          warnings: result.bundle.warnings,
          overview,
          timings: { readMs, overviewMs },
        },
      };
    },
    cancel() {
      abort?.abort();
    },
    async overview(window: TimeWindow | null): Promise<Overview> {
      if (!current) throw new Error('no bundle is loaded');
      return buildOverview(current, window);
    },
    async csv(table: TableName): Promise<Blob> {
      const t = current?.tables[table];
      if (!t) throw new Error(`no table "${table}" in the loaded bundle`);
      return new Blob([...tableToCsv(t)], { type: 'text/csv' });
    },
  };
}
