import { useCallback, useState } from 'react';
import * as Comlink from 'comlink';
import type { ForecastProgress, ForecastResults } from '../../../core/forecast/experiment.ts';
import type { ForecastSpecInput } from '../../../core/forecast/spec.ts';
import type { BackendName } from '../../../workers/compute/types.ts';
import type { AppliedOutcome, EmbeddingProgress, EmbeddingResults, EmbeddingSettings, ForecastLabApi, ForecastSource, SeriesListing } from '../../../workers/forecast-lab/protocol.ts';
import { asWork, forward, useLabWorker, useLatest } from '../shell/lab-worker.ts';
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
  const s = b.source;
  return s.kind === 'file' ? { file: s.file } : s.kind === 'open' ? { bundleId: s.bundleId, name: s.name } : { url: s.url };
}

/**
 * One forecast-lab worker per visit to the lab: bundles are read and models trained there; the page receives
 * the series list, progress, and the results (rows and one cell's test-span predictions).
 */
export function useForecastLab() {
  const [state, setState] = useState<ForecastRunState>({ status: 'idle' });
  const [series, setSeries] = useState<SeriesState>({ status: 'none' });
  const [embedding, setEmbedding] = useState<EmbeddingState>({ status: 'idle' });
  const lab = useLabWorker<ForecastLabApi>(() => new Worker(new URL('../../../workers/forecast-lab.worker.ts', import.meta.url), { type: 'module', name: 'forecast-lab' }));
  const runs = useLatest();
  const listings = useLatest();
  const embeddings = useLatest();

  const loadSeries = useCallback(
    (bundle: ForecastBundleChoice) => {
      const mine = listings.begin();
      setSeries({ status: 'loading', path: bundle.path });
      void asWork(lab.api().series(sourceOf(bundle))).then(
        (o) => {
          if (!mine()) return;
          if (o.ok) setSeries({ status: 'ready', path: bundle.path, listing: { series: o.series, intervals: o.intervals, intervalS: o.intervalS } });
          else setSeries({ status: 'failed', path: bundle.path, message: o.message });
        },
        (e: unknown) => mine() && setSeries({ status: 'failed', path: bundle.path, message: lab.died(e) }),
      );
    },
    [lab, listings],
  );

  const start = useCallback(
    (spec: ForecastSpecInput, bundle: ForecastBundleChoice, backend: BackendName) => {
      const mine = runs.begin();
      setState({ status: 'running', progress: null, backend, startedAt: performance.now() });
      const onProgress = Comlink.proxy((p: ForecastProgress) => {
        if (mine()) setState((s) => (s.status === 'running' ? { ...s, progress: forward(s.progress, p) } : s));
      });
      // Counted as work, so window.__tlab.waitForIdle() waits for the whole experiment.
      void asWork(lab.api().run(spec, sourceOf(bundle), backend, onProgress)).then(
        (o) => {
          if (!mine()) return;
          if (o.ok) setState({ status: 'done', results: o.results, backend });
          else setState({ status: 'failed', message: o.message, cancelled: o.cancelled });
        },
        (e: unknown) => mine() && setState({ status: 'failed', message: lab.died(e), cancelled: false }),
      );
    },
    [lab, runs],
  );

  const embed = useCallback(
    (bundle: ForecastBundleChoice, settings: EmbeddingSettings) => {
      const mine = embeddings.begin();
      setEmbedding({ status: 'running', progress: null });
      const onProgress = Comlink.proxy((p: EmbeddingProgress) => {
        if (mine()) setEmbedding((s) => (s.status === 'running' ? { ...s, progress: p } : s));
      });
      void asWork(lab.api().embeddings(sourceOf(bundle), settings, onProgress)).then(
        (o) => {
          if (!mine()) return;
          if (o.ok) setEmbedding({ status: 'done', results: o.results, path: bundle.path });
          else setEmbedding({ status: 'failed', message: o.message, cancelled: o.cancelled });
        },
        (e: unknown) => mine() && setEmbedding({ status: 'failed', message: lab.died(e), cancelled: false }),
      );
    },
    [lab, embeddings],
  );

  /** Runs a saved model over the bundle (counted as work for the test hooks); a dead worker comes back as a message. */
  const applySaved = useCallback(
    (saved: unknown, bundle: ForecastBundleChoice, backend?: BackendName): Promise<AppliedOutcome> =>
      asWork(lab.api().applySaved(saved, sourceOf(bundle), backend)).catch((e: unknown): AppliedOutcome => ({ ok: false, message: lab.died(e) })),
    [lab],
  );

  const cancel = useCallback(() => void lab.running()?.cancel(), [lab]);

  /** A kept run's results shown again (run history), without training; a run in flight is left. */
  const show = useCallback(
    (results: ForecastResults, backend: BackendName) => {
      runs.drop();
      setState({ status: 'done', results, backend });
    },
    [runs],
  );
  return { state, series, embedding, loadSeries, start, embed, applySaved, cancel, show };
}
