import { useCallback, useEffect, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { ForecastProgress, ForecastResults } from '../../../core/forecast/experiment.ts';
import type { ForecastSpecInput } from '../../../core/forecast/spec.ts';
import type { BackendName } from '../../../workers/compute/types.ts';
import type { AppliedOutcome, EmbeddingProgress, EmbeddingResults, EmbeddingSettings, ForecastLabApi, ForecastSource, SeriesListing } from '../../../workers/forecast-lab/protocol.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import type { ForecastBundleChoice } from './forecast-datasets.ts';

export type ForecastRunState =
  | { status: 'idle' }
  | { status: 'running'; progress: ForecastProgress | null; backend: BackendName; startedAt: number }
  | { status: 'done'; results: ForecastResults; backend: BackendName }
  | { status: 'failed'; message: string; cancelled: boolean };

export type SeriesState = { status: 'none' } | { status: 'loading'; path: string } | { status: 'ready'; path: string; listing: SeriesListing } | { status: 'failed'; path: string; message: string };

export type EmbeddingState =
  | { status: 'idle' }
  | { status: 'running'; progress: EmbeddingProgress | null }
  | { status: 'done'; results: EmbeddingResults; path: string }
  | { status: 'failed'; message: string; cancelled: boolean };

export function sourceOf(b: ForecastBundleChoice): ForecastSource {
  // A File is structured-cloned to the worker; the worker reads it from there.
  return b.source.kind === 'file' ? { file: b.source.file } : { url: b.source.url };
}

/**
 * One forecast-lab worker per visit to the lab: bundles are read and models trained there; the page receives
 * the series list, progress, and the results (rows and one cell's test-span predictions).
 */
export function useForecastLab() {
  const [state, setState] = useState<ForecastRunState>({ status: 'idle' });
  const [series, setSeries] = useState<SeriesState>({ status: 'none' });
  const [embedding, setEmbedding] = useState<EmbeddingState>({ status: 'idle' });
  const api = useRef<Comlink.Remote<ForecastLabApi> | null>(null);
  const worker = useRef<Worker | null>(null);
  const run = useRef(0);
  const seriesRequest = useRef(0);
  const embedRun = useRef(0);

  useEffect(
    () => () => {
      // Leaving the lab ends any run: a terminated worker cannot keep the CPU busy.
      run.current++;
      seriesRequest.current++;
      embedRun.current++;
      worker.current?.terminate();
      worker.current = null;
      api.current = null;
    },
    [],
  );

  const remote = useCallback((): Comlink.Remote<ForecastLabApi> => {
    if (!api.current) {
      const w = new Worker(new URL('../../../workers/forecast-lab.worker.ts', import.meta.url), { type: 'module', name: 'forecast-lab' });
      worker.current = w;
      api.current = Comlink.wrap<ForecastLabApi>(w);
    }
    return api.current;
  }, []);

  const dead = useCallback((e: unknown) => {
    // Only a dead worker rejects (the methods return failures as values): start a fresh one next time.
    worker.current?.terminate();
    worker.current = null;
    api.current = null;
    return `the lab's worker failed: ${e instanceof Error ? e.message : String(e)}`;
  }, []);

  const loadSeries = useCallback(
    (bundle: ForecastBundleChoice) => {
      const id = ++seriesRequest.current;
      setSeries({ status: 'loading', path: bundle.path });
      testHooks.beginWork();
      remote()
        .series(sourceOf(bundle))
        .then(
          (o) => {
            if (id !== seriesRequest.current) return;
            if (o.ok) setSeries({ status: 'ready', path: bundle.path, listing: { series: o.series, intervals: o.intervals, intervalS: o.intervalS } });
            else setSeries({ status: 'failed', path: bundle.path, message: o.message });
          },
          (e: unknown) => id === seriesRequest.current && setSeries({ status: 'failed', path: bundle.path, message: dead(e) }),
        )
        .finally(() => testHooks.endWork());
    },
    [remote, dead],
  );

  const start = useCallback(
    (spec: ForecastSpecInput, bundle: ForecastBundleChoice, backend: BackendName) => {
      const id = ++run.current;
      const mine = () => id === run.current;
      setState({ status: 'running', progress: null, backend, startedAt: performance.now() });
      // Counted as work, so window.__tlab.waitForIdle() waits for the whole experiment.
      testHooks.beginWork();
      const onProgress = Comlink.proxy((p: ForecastProgress) => {
        if (mine()) setState((s) => (s.status === 'running' ? { ...s, progress: { ...p, fraction: Math.max(p.fraction, s.progress?.fraction ?? 0) } } : s));
      });
      remote()
        .run(spec, sourceOf(bundle), backend, onProgress)
        .then(
          (o) => {
            if (!mine()) return;
            if (o.ok) setState({ status: 'done', results: o.results, backend });
            else setState({ status: 'failed', message: o.message, cancelled: o.cancelled });
          },
          (e: unknown) => mine() && setState({ status: 'failed', message: dead(e), cancelled: false }),
        )
        .finally(() => testHooks.endWork());
    },
    [remote, dead],
  );

  const embed = useCallback(
    (bundle: ForecastBundleChoice, settings: EmbeddingSettings) => {
      const id = ++embedRun.current;
      const mine = () => id === embedRun.current;
      setEmbedding({ status: 'running', progress: null });
      testHooks.beginWork();
      const onProgress = Comlink.proxy((p: EmbeddingProgress) => {
        if (mine()) setEmbedding((s) => (s.status === 'running' ? { ...s, progress: p } : s));
      });
      remote()
        .embeddings(sourceOf(bundle), settings, onProgress)
        .then(
          (o) => {
            if (!mine()) return;
            if (o.ok) setEmbedding({ status: 'done', results: o.results, path: bundle.path });
            else setEmbedding({ status: 'failed', message: o.message, cancelled: o.cancelled });
          },
          (e: unknown) => mine() && setEmbedding({ status: 'failed', message: dead(e), cancelled: false }),
        )
        .finally(() => testHooks.endWork());
    },
    [remote, dead],
  );

  /** Runs a saved model over the bundle (counted as work for the test hooks); a dead worker comes back as a message. */
  const applySaved = useCallback(
    (saved: unknown, bundle: ForecastBundleChoice, backend?: BackendName): Promise<AppliedOutcome> => {
      testHooks.beginWork();
      return remote()
        .applySaved(saved, sourceOf(bundle), backend)
        .catch((e: unknown): AppliedOutcome => ({ ok: false, message: dead(e) }))
        .finally(() => testHooks.endWork());
    },
    [remote, dead],
  );

  const cancel = useCallback(() => void api.current?.cancel(), []);

  /** A kept run's results shown again (run history), without training; a run in flight is left. */
  const show = useCallback((results: ForecastResults, backend: BackendName) => {
    run.current++;
    setState({ status: 'done', results, backend });
  }, []);
  return { state, series, embedding, loadSeries, start, embed, applySaved, cancel, show };
}
