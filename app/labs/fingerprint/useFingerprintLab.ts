import { useCallback, useEffect, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { FingerprintProgress, FingerprintResults } from '../../../core/fingerprint/experiment.ts';
import type { FingerprintSpecInput } from '../../../core/fingerprint/spec.ts';
import type { LabSource } from '../../../workers/lab-bundles.ts';
import type { ChangePointPreview, FingerprintLabApi } from '../../../workers/fingerprint-lab/protocol.ts';
import { testHooks } from '../../testing/test-hooks.ts';

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; progress: FingerprintProgress | null }
  | { status: 'done'; results: FingerprintResults; seconds: number }
  | { status: 'failed'; message: string };

export type PreviewState = { status: 'none' } | { status: 'loading' } | { status: 'ready'; preview: ChangePointPreview } | { status: 'failed'; message: string };

function newWorker(name: string): Comlink.Remote<FingerprintLabApi> & { terminate: () => void } {
  const worker = new Worker(new URL('../../../workers/fingerprint-lab.worker.ts', import.meta.url), { type: 'module', name });
  const api = Comlink.wrap<FingerprintLabApi>(worker);
  return Object.assign(api, { terminate: () => worker.terminate() });
}

/** Two workers: one runs experiments, the other answers the change point preview while a run works. */
export function useFingerprintLab() {
  const [state, setState] = useState<RunState>({ status: 'idle' });
  const [preview, setPreview] = useState<PreviewState>({ status: 'none' });
  const runner = useRef<ReturnType<typeof newWorker> | null>(null);
  const helper = useRef<ReturnType<typeof newWorker> | null>(null);
  const previewRequest = useRef(0);
  const runRequest = useRef(0);

  useEffect(
    () => () => {
      runRequest.current++;
      previewRequest.current++;
      runner.current?.terminate();
      helper.current?.terminate();
      runner.current = null;
      helper.current = null;
    },
    [],
  );

  const loadPreview = useCallback(async (source: LabSource, spec: FingerprintSpecInput, counter: string | null) => {
    const id = ++previewRequest.current;
    helper.current ??= newWorker('fingerprint-lab preview');
    setPreview({ status: 'loading' });
    testHooks.beginWork();
    try {
      const r = await helper.current.preview(source, spec, counter);
      if (id !== previewRequest.current) return;
      setPreview(r.ok ? { status: 'ready', preview: r } : { status: 'failed', message: r.message });
    } catch (e) {
      if (id === previewRequest.current) setPreview({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
    } finally {
      testHooks.endWork();
    }
  }, []);

  const start = useCallback(async (spec: FingerprintSpecInput, sources: LabSource[]) => {
    const id = ++runRequest.current;
    runner.current ??= newWorker('fingerprint-lab run');
    setState({ status: 'running', progress: null });
    testHooks.beginWork();
    const t0 = performance.now();
    try {
      const r = await runner.current.run(
        spec,
        sources,
        Comlink.proxy((p: FingerprintProgress) => {
          if (id === runRequest.current) setState({ status: 'running', progress: p });
        }),
      );
      if (id !== runRequest.current) return;
      setState(r.ok ? { status: 'done', results: r.results, seconds: (performance.now() - t0) / 1000 } : { status: 'failed', message: r.message });
    } catch (e) {
      if (id === runRequest.current) setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) });
    } finally {
      testHooks.endWork();
    }
  }, []);

  /** A kept run's results shown again (run history), without computing; a run in flight is left. */
  const show = useCallback((results: FingerprintResults) => {
    runRequest.current++;
    // NaN seconds: not computed now (the page says it was reopened).
    setState({ status: 'done', results, seconds: Number.NaN });
  }, []);
  return { state, preview, loadPreview, start, show };
}
