import { useCallback, useState } from 'react';
import * as Comlink from 'comlink';
import type { SchedProgress, SchedResultRow, SchedResults } from '../../../core/sched-lab/experiment.ts';
import type { SchedSpecInput } from '../../../core/sched-lab/spec.ts';
import type { BackendName } from '../../../workers/compute/types.ts';
import type { LabBundleSource, SchedLabApi } from '../../../workers/sched-lab/protocol.ts';
import type { TablesOutcome } from '../../../workers/lab-bundles/tables-of.ts';
import { asWork, forward, useLabWorker, useLatest } from '../shell/lab-worker.ts';
import type { LabBundle } from './spec-form.ts';

export type SchedRunState =
  | { status: 'idle' }
  | { status: 'running'; progress: SchedProgress | null; rows: SchedResultRow[]; backend: BackendName; startedAt: number }
  | { status: 'done'; results: SchedResults; backend: BackendName }
  | { status: 'failed'; message: string; cancelled: boolean; rows: SchedResultRow[] };

function sourceOf(b: LabBundle): LabBundleSource {
  const ref = { path: b.path, workload: b.workload.trim(), role: b.role as LabBundleSource['ref']['role'] };
  // A File is structured-cloned to the worker; the worker streams it from there.
  return b.source.kind === 'file' ? { ref, file: b.source.file } : b.source.kind === 'open' ? { ref, bundleId: b.source.bundleId, name: b.source.name } : { ref, url: b.source.url };
}

/**
 * One scheduling-lab worker per page visit to the lab: training happens there, the page only receives progress
 * and one small row per baseline and model.
 */
export function useSchedLab() {
  const [state, setState] = useState<SchedRunState>({ status: 'idle' });
  const lab = useLabWorker<SchedLabApi>(() => new Worker(new URL('../../../workers/sched-lab.worker.ts', import.meta.url), { type: 'module', name: 'sched-lab' }));
  const runs = useLatest();

  const start = useCallback(
    (spec: SchedSpecInput, bundles: readonly LabBundle[], backend: BackendName) => {
      const mine = runs.begin();
      setState({ status: 'running', progress: null, rows: [], backend, startedAt: performance.now() });
      const onProgress = Comlink.proxy((p: SchedProgress) => {
        if (mine()) setState((s) => (s.status === 'running' ? { ...s, progress: forward(s.progress, p) } : s));
      });
      const onRow = Comlink.proxy((row: SchedResultRow) => {
        if (mine()) setState((s) => (s.status === 'running' ? { ...s, rows: [...s.rows, row] } : s));
      });
      const sources = bundles.filter((b) => b.role !== 'unused').map(sourceOf);
      // Counted as work, so window.__tlab.waitForIdle() waits for the whole experiment.
      void asWork(lab.api().run(spec, sources, backend, onProgress, onRow)).then(
        (outcome) => {
          if (!mine()) return;
          if (outcome.ok) setState({ status: 'done', results: outcome.results, backend });
          else setState((s) => ({ status: 'failed', message: outcome.message, cancelled: outcome.cancelled, rows: s.status === 'running' ? s.rows : [] }));
        },
        (e: unknown) => mine() && setState({ status: 'failed', message: lab.died(e), cancelled: false, rows: [] }),
      );
    },
    [lab, runs],
  );

  const cancel = useCallback(() => void lab.running()?.cancel(), [lab]);

  /** A kept run's results shown again (run history), without training; a run in flight is left. */
  const show = useCallback(
    (results: SchedResults, backend: BackendName) => {
      runs.drop();
      setState({ status: 'done', results, backend });
    },
    [runs],
  );
  /** What a dropped file holds, read (or imported) by the lab's worker before the page adds it. */
  const tablesOf = useCallback(
    (file: File): Promise<TablesOutcome> => asWork(lab.api().tables({ file }, file.name)).catch((e: unknown) => ({ ok: false as const, message: lab.died(e) })),
    [lab],
  );
  return { state, start, cancel, show, tablesOf };
}
