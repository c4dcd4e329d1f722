import { useCallback, useState } from 'react';
import * as Comlink from 'comlink';
import type { FingerprintProgress, FingerprintResults } from '../../../core/fingerprint/experiment.ts';
import type { FingerprintSpecInput } from '../../../core/fingerprint/spec.ts';
import type { LabSource } from '../../../workers/lab-bundles.ts';
import type { ChangePointPreview, FingerprintLabApi } from '../../../workers/fingerprint-lab/protocol.ts';
import { asWork, useLabWorker, useLatest } from '../shell/lab-worker.ts';

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; progress: FingerprintProgress | null }
  | { status: 'done'; results: FingerprintResults; seconds: number }
  | { status: 'failed'; message: string };

export type PreviewState = { status: 'none' } | { status: 'loading' } | { status: 'ready'; preview: ChangePointPreview } | { status: 'failed'; message: string };

const fingerprintWorker = (name: string) => () => new Worker(new URL('../../../workers/fingerprint-lab.worker.ts', import.meta.url), { type: 'module', name });

/** Two workers: one runs experiments, the other answers the change point preview while a run works. */
export function useFingerprintLab() {
  const [state, setState] = useState<RunState>({ status: 'idle' });
  const [preview, setPreview] = useState<PreviewState>({ status: 'none' });
  const runner = useLabWorker<FingerprintLabApi>(fingerprintWorker('fingerprint-lab run'));
  const helper = useLabWorker<FingerprintLabApi>(fingerprintWorker('fingerprint-lab preview'));
  const previews = useLatest();
  const runs = useLatest();

  const loadPreview = useCallback(
    async (source: LabSource, spec: FingerprintSpecInput, counter: string | null) => {
      const mine = previews.begin();
      setPreview({ status: 'loading' });
      try {
        const r = await asWork(helper.api().preview(source, spec, counter));
        if (mine()) setPreview(r.ok ? { status: 'ready', preview: r } : { status: 'failed', message: r.message });
      } catch (e) {
        if (mine()) setPreview({ status: 'failed', message: helper.died(e) });
      }
    },
    [helper, previews],
  );

  const start = useCallback(
    async (spec: FingerprintSpecInput, sources: LabSource[]) => {
      const mine = runs.begin();
      setState({ status: 'running', progress: null });
      const t0 = performance.now();
      const onProgress = Comlink.proxy((p: FingerprintProgress) => {
        if (mine()) setState({ status: 'running', progress: p });
      });
      try {
        const r = await asWork(runner.api().run(spec, sources, onProgress));
        if (mine()) setState(r.ok ? { status: 'done', results: r.results, seconds: (performance.now() - t0) / 1000 } : { status: 'failed', message: r.message });
      } catch (e) {
        if (mine()) setState({ status: 'failed', message: runner.died(e) });
      }
    },
    [runner, runs],
  );

  /** A kept run's results shown again (run history), without computing; a run in flight is left. */
  const show = useCallback(
    (results: FingerprintResults) => {
      runs.drop();
      // NaN seconds: not computed now (the page says it was reopened).
      setState({ status: 'done', results, seconds: Number.NaN });
    },
    [runs],
  );
  return { state, preview, loadPreview, start, show };
}
