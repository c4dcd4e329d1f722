import { useCallback, useEffect, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { SchedProgress, SchedResultRow, SchedResults } from '../../../core/sched-lab/experiment.ts';
import type { SchedSpecInput } from '../../../core/sched-lab/spec.ts';
import type { BackendName } from '../../../workers/compute/types.ts';
import type { LabBundleSource, SchedLabApi } from '../../../workers/sched-lab/protocol.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import type { LabBundle } from './spec-form.ts';

export type SchedRunState =
  | { status: 'idle' }
  | { status: 'running'; progress: SchedProgress | null; rows: SchedResultRow[]; backend: BackendName; startedAt: number }
  | { status: 'done'; results: SchedResults; backend: BackendName }
  | { status: 'failed'; message: string; cancelled: boolean; rows: SchedResultRow[] };

function sourceOf(b: LabBundle): LabBundleSource {
  const ref = { path: b.path, workload: b.workload.trim(), role: b.role as LabBundleSource['ref']['role'] };
  // A File is structured-cloned to the worker; the worker streams it from there.
  return b.source.kind === 'file' ? { ref, file: b.source.file } : { ref, url: b.source.url };
}

/**
 * One scheduling-lab worker per page visit to the lab: training happens there, the page only receives progress
 * and one small row per baseline and model.
 */
export function useSchedLab() {
  const [state, setState] = useState<SchedRunState>({ status: 'idle' });
  const api = useRef<Comlink.Remote<SchedLabApi> | null>(null);
  const worker = useRef<Worker | null>(null);
  const run = useRef(0);

  useEffect(
    () => () => {
      // Leaving the lab ends any run: a terminated worker cannot keep the CPU busy.
      run.current++;
      worker.current?.terminate();
      worker.current = null;
      api.current = null;
    },
    [],
  );

  const remote = useCallback((): Comlink.Remote<SchedLabApi> => {
    if (!api.current) {
      const w = new Worker(new URL('../../../workers/sched-lab.worker.ts', import.meta.url), { type: 'module', name: 'sched-lab' });
      worker.current = w;
      api.current = Comlink.wrap<SchedLabApi>(w);
    }
    return api.current;
  }, []);

  const start = useCallback(
    (spec: SchedSpecInput, bundles: readonly LabBundle[], backend: BackendName) => {
      const id = ++run.current;
      const mine = () => id === run.current;
      const startedAt = performance.now();
      setState({ status: 'running', progress: null, rows: [], backend, startedAt });
      // Counted as work, so window.__tlab.waitForIdle() waits for the whole experiment.
      testHooks.beginWork();
      const onProgress = Comlink.proxy((p: SchedProgress) => {
        // Reading the bundles and the experiment each count from 0; the bar only moves forward.
        if (mine()) setState((s) => (s.status === 'running' ? { ...s, progress: { ...p, fraction: Math.max(p.fraction, s.progress?.fraction ?? 0) } } : s));
      });
      const onRow = Comlink.proxy((row: SchedResultRow) => {
        if (mine()) setState((s) => (s.status === 'running' ? { ...s, rows: [...s.rows, row] } : s));
      });
      const sources = bundles.filter((b) => b.role !== 'unused').map(sourceOf);
      remote()
        .run(spec, sources, backend, onProgress, onRow)
        .then(
          (outcome) => {
            if (!mine()) return;
            if (outcome.ok) setState({ status: 'done', results: outcome.results, backend });
            else setState((s) => ({ status: 'failed', message: outcome.message, cancelled: outcome.cancelled, rows: s.status === 'running' ? s.rows : [] }));
          },
          (e: unknown) => {
            // Only a dead worker gets here (run() itself never rejects): start a fresh one next time.
            if (!mine()) return;
            worker.current?.terminate();
            worker.current = null;
            api.current = null;
            setState({ status: 'failed', message: `the lab's worker failed: ${e instanceof Error ? e.message : String(e)}`, cancelled: false, rows: [] });
          },
        )
        .finally(() => testHooks.endWork());
    },
    [remote],
  );

  const cancel = useCallback(() => void api.current?.cancel(), []);

  /** A kept run's results shown again (run history), without training; a run in flight is left. */
  const show = useCallback((results: SchedResults, backend: BackendName) => {
    run.current++;
    setState({ status: 'done', results, backend });
  }, []);
  return { state, start, cancel, show };
}
