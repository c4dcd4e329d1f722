import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { BundleError } from '../../core/bundle/errors.ts';
import type { BundleLoaderApi, LoadedBundle, LoadProgress, LoadSource } from '../../workers/bundle-loader/protocol.ts';
import type { TimelineApi } from '../../workers/bundle-loader/timeline.ts';
import { testHooks } from '../testing/test-hooks.ts';
import { loaderDied, setLoaderConnector } from './loader-ports.ts';

export type LoaderState =
  | { status: 'empty' }
  | { status: 'loading'; name: string; progress: LoadProgress | null; previous: LoadedBundle | null }
  | { status: 'loaded'; bundle: LoadedBundle; firstChartMs: number | null }
  | { status: 'failed'; name: string; error: BundleError; previous: LoadedBundle | null };

function sourceName(s: LoadSource): string {
  return s.kind === 'file' ? s.file.name : s.kind === 'files' ? `${s.files.length} files` : s.name;
}

/** Owns the loader worker; a newer open() supersedes an older one (generation counter). */
export function useBundleLoader() {
  const [state, setState] = useState<LoaderState>({ status: 'empty' });
  const api = useRef<Comlink.Remote<BundleLoaderApi> | null>(null);
  const generation = useRef(0);
  const lastLoaded = useRef<LoadedBundle | null>(null);

  useEffect(() => {
    const worker = new Worker(new URL('../../workers/bundle-loader.worker.ts', import.meta.url), { type: 'module', name: 'bundle-loader' });
    const remote = Comlink.wrap<BundleLoaderApi>(worker);
    api.current = remote;
    // Lab workers ask this worker for their bundles over ports of their own (issue 13: one data owner).
    setLoaderConnector({
      connect: (id) => {
        const { port1, port2 } = new MessageChannel();
        void remote.connectLab(id, Comlink.transfer(port1, [port1]));
        return port2;
      },
      disconnect: (id) => void remote.disconnectLab(id),
      stats: () => remote.labStats(),
    });
    // A worker that dies leaves comlink's promise pending forever: say so instead of spinning.
    worker.addEventListener('error', (e) => {
      console.error('bundle loader worker failed:', e.message);
      generation.current++;
      testHooks.endWork();
      loaderDied(e.message || 'worker error');
      const error: BundleError = { kind: 'read-failed', detail: `the loader stopped unexpectedly (${e.message || 'worker error'}); reload the page to try again` };
      setState({ status: 'failed', name: 'bundle', error, previous: lastLoaded.current });
    });
    return () => {
      setLoaderConnector(null);
      api.current = null;
      worker.terminate();
    };
  }, []);

  const open = useCallback(async (source: LoadSource) => {
    const remote = api.current;
    if (!remote) return;
    const gen = ++generation.current;
    const name = sourceName(source);
    setState({ status: 'loading', name, progress: null, previous: lastLoaded.current });
    testHooks.beginWork();
    testHooks.loadStarted();
    const started = performance.now();
    // Progress comes over its own MessagePort, so a last progress message can arrive after the result:
    // once the result is in, progress must not turn the page back to "loading".
    let settled = false;
    // The tables decoded so far, drawn while the rest decode (the worker sends them when a large table is to come).
    let partial: LoadedBundle | null = null;
    let lastProgress: LoadProgress | null = null;
    try {
      const result = await remote.open(
        source,
        Comlink.proxy((progress: LoadProgress) => {
          lastProgress = progress;
          if (!settled && gen === generation.current) setState({ status: 'loading', name, progress, previous: partial ?? lastLoaded.current });
        }),
        Comlink.proxy((p: LoadedBundle) => {
          if (settled || gen !== generation.current) return;
          partial = p;
          setState({ status: 'loading', name, progress: lastProgress, previous: p });
        }),
      );
      settled = true;
      if (gen !== generation.current) return;
      if (result.ok) {
        lastLoaded.current = result.bundle;
        setState({ status: 'loaded', bundle: result.bundle, firstChartMs: null });
        window.__tlab.state = { status: 'loaded', name, requestedAt: started };
      } else {
        // A failed load keeps what was open before: nothing is lost.
        setState({ status: 'failed', name, error: result.error, previous: lastLoaded.current });
        window.__tlab.state = { status: 'failed', name, error: result.error };
      }
    } catch (e) {
      settled = true;
      if (gen !== generation.current) return;
      const error: BundleError = { kind: 'read-failed', detail: e instanceof Error ? e.message : String(e) };
      setState({ status: 'failed', name, error, previous: lastLoaded.current });
      window.__tlab.state = { status: 'failed', name, error };
    } finally {
      testHooks.endWork();
    }
  }, []);

  const cancel = useCallback(() => {
    void api.current?.cancel();
  }, []);

  const dismissError = useCallback(() => {
    setState(lastLoaded.current ? { status: 'loaded', bundle: lastLoaded.current, firstChartMs: null } : { status: 'empty' });
  }, []);

  const csv = useCallback(async (table: Parameters<BundleLoaderApi['csv']>[0]) => {
    if (!api.current) throw new Error('loader not ready');
    return api.current.csv(table);
  }, []);

  const tablePage = useCallback(async (...args: Parameters<BundleLoaderApi['tablePage']>) => {
    if (!api.current) throw new Error('loader not ready');
    return api.current.tablePage(...args);
  }, []);

  const zoom = useCallback(async (window: Parameters<BundleLoaderApi['overview']>[0]) => {
    if (!api.current) throw new Error('loader not ready');
    return api.current.overview(window);
  }, []);

  const bundleFile = useCallback(async () => {
    if (!api.current) throw new Error('loader not ready');
    return api.current.bundleFile();
  }, []);

  const perfettoTrace = useCallback(async () => {
    if (!api.current) throw new Error('loader not ready');
    return api.current.perfettoTrace();
  }, []);

  // The timeline views ask the same worker, which holds the tables (one stable object, so views do not refetch).
  const timelines = useMemo<TimelineApi>(() => {
    const remote = () => {
      if (!api.current) throw new Error('loader not ready');
      return api.current;
    };
    return {
      timelineInfo: async (kind, onProgress) => remote().timelineInfo(kind, onProgress),
      timelineView: async (kind, from, to, widthPx) => remote().timelineView(kind, from, to, widthPx),
      syscallLatency: async () => remote().syscallLatency(),
    };
  }, []);

  return { state, open, cancel, dismissError, csv, tablePage, zoom, bundleFile, perfettoTrace, timelines };
}
