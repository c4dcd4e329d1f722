import { useCallback, useEffect, useMemo, useState, type RefObject } from 'react';
import { parseSchedSpec } from '../../../core/sched-lab/spec.ts';
import { BACKEND_LABELS, BACKEND_NAMES, type BackendName } from '../../../workers/compute/types.ts';
import type { ComputeBackend } from '../../compute/useComputeBackend.ts';
import { backendFor } from '../lab-backend.ts';
import type { Theme } from '../../theme.ts';
import { ConfusionChart } from './ConfusionChart.tsx';
import { DatasetPicker } from './DatasetPicker.tsx';
import { InferenceTable } from './InferenceTable.tsx';
import { LossCurves } from './LossCurves.tsx';
import { ResultsExport } from './ResultsExport.tsx';
import { LoadSpecButton } from '../shell/LoadSpecButton.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import { RunStatus } from './RunStatus.tsx';
import { bestModel, SeedComparison } from './SeedComparison.tsx';
import { SpecForm } from './SpecForm.tsx';
import { browserDefaults, buildSpec, SCHED_NEEDS, settingsFromSpec, specProblem, type LabSettings } from './spec-form.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import { useLabUrlSpec } from '../useLabUrlSpec.ts';
import { RunHistory } from '../history/RunHistory.tsx';
import type { SchedResults } from '../../../core/sched-lab/experiment.ts';
import { typedArraysAsLists } from '../../../core/specs/results-json.ts';
import { useSchedBundles } from './useSchedBundles.ts';
import { useSchedLab } from './useSchedLab.ts';
import { WorkloadTable } from './WorkloadTable.tsx';
import type { OverviewBundle } from '../shell/overview-bundle.ts';
import { admitFiles } from '../shell/admit-files.ts';
import './sched-lab.css';

interface Props {
  theme: Theme;
  compute: ComputeBackend;
  /** The app routes files dropped on the window here while the lab is shown. */
  dropTarget: RefObject<((files: File[]) => void) | null>;
  /** The bundle open in the overview: offered here without reading it again, when it has a sched table. */
  overviewBundle?: OverviewBundle | null;
}

export function SchedLabPage({ theme, compute, dropTarget, overviewBundle = null }: Props) {
  const { bundles, seed, problem, ready, addFiles, addOpen, update, remove } = useSchedBundles();
  const [settings, setSettings] = useState<LabSettings>(() => browserDefaults());
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const { state, start, cancel, show, tablesOf } = useSchedLab();
  const running = state.status === 'running';

  // The lab trains on what the probe measures, so opening it is when the probe is first wanted.
  const { start: startProbe } = compute;
  useEffect(() => startProbe(), [startProbe]);
  useEffect(() => {
    if (seed !== null) setSettings((s) => ({ ...s, seed }));
  }, [seed]);

  const spec = useMemo(() => buildSpec(settings, bundles), [settings, bundles]);
  const invalid = useMemo(() => specProblem(spec), [spec]);
  const parsed = useMemo(() => (invalid ? null : parseSchedSpec(spec)), [spec, invalid]);
  const backend = backendFor(compute);

  const results = state.status === 'done' ? state.results : null;

  /** A spec from the link into the form and the bundles' roles; what is wrong with it, in words, or null. */
  const applySpec = (json: unknown): string | null => {
    let loaded;
    try {
      loaded = settingsFromSpec(parseSchedSpec(json));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    setSettings(loaded.settings);
    const wanted = new Map(loaded.bundles.map((b) => [b.path, b]));
    for (const b of bundles) {
      const ref = wanted.get(b.path);
      update(b.path, ref ? { role: ref.role, workload: ref.workload } : { role: 'unused' });
    }
    const missing = loaded.bundles.filter((b) => !bundles.some((x) => x.path === b.path)).map((b) => b.path);
    setNotice(missing.length ? `The spec names bundles that are not here (${missing.join(', ')}): add them (drop the .tlab files on the page) to run it as written.` : null);
    return null;
  };
  // A .tlab or a capture (a trace-cmd/ftrace text, perf sched): read or imported by the worker first, and refused
  // at once, by name, when it has no sched events.
  const addDropped = useCallback(
    (files: File[]) =>
      void admitFiles(files, tablesOf, ['sched'], SCHED_NEEDS).then(({ admitted, refused }) => {
        addFiles(admitted);
        setNotice(refused.length ? refused.join(' ') : null);
      }),
    [addFiles, tablesOf],
  );
  const { urlProblem, loadedFrom, fileProblem, loadFile } = useLabUrlSpec({
    ready,
    apply: applySpec,
    drop: { target: dropTarget, add: addDropped },
    spec: parsed,
    canRun: !running && !invalid && !!backend && ready,
    run: useCallback(() => backend && start(spec, bundles, backend), [backend, start, spec, bundles]),
  });
  useEffect(() => {
    testHooks.setLabResults('sched', results ? () => JSON.parse(JSON.stringify(results, typedArraysAsLists)) as unknown : null);
    return () => testHooks.setLabResults('sched', null);
  }, [results]);
  const rows = state.status === 'done' ? state.results.rows : state.status === 'idle' ? [] : state.rows;
  const topK = results?.spec.topK ?? parsed?.topK ?? settings.topK;
  const shownRow = rows.find((r) => r.name === selected) ?? (results ? (bestModel(rows) ?? rows[0]) : undefined);

  return (
    <div className="sched-lab" data-testid="sched-lab">
      <section className="card">
        <h2>Scheduling lab</h2>
        <p className="muted small">
          Learn to predict the next scheduled task from <code>sched_switch</code> events, measured honestly: PID-independent targets, idle as its own class,
          early stopping on a validation split of the training traces, whole workloads held out as the unseen test, and trivial baselines scored on the same
          positions. Training runs in a worker; the same spec gives the same numbers from <code>npx tlab run spec.json</code>.
        </p>
      </section>
      {problem ? (
        <div className="notice" role="status" data-testid="sched-datasets-problem">
          {problem}
        </div>
      ) : null}
      {urlProblem ? (
        <div className="notice error-text" role="alert" data-testid="sched-url-spec-error">
          {urlProblem}
        </div>
      ) : null}
      {notice ? (
        <div className="notice" role="status">
          {notice}
        </div>
      ) : null}
      <div className="sched-setup">
        <DatasetPicker bundles={bundles} onChange={update} onAddFiles={addDropped} onRemove={remove} disabled={running} overviewBundle={overviewBundle} onUseOverview={addOpen} />
        <SpecForm settings={settings} onChange={setSettings} disabled={running} />
      </div>
      <div className="card sched-run-line">
        <button
          type="button"
          className="primary"
          disabled={running || !!invalid || !backend || !ready}
          onClick={() => backend && start(spec, bundles, backend)}
          data-testid="sched-run"
        >
          Run experiment
        </button>
        <span className="muted small" data-testid="sched-backend">
          {backend
            ? `on ${BACKEND_LABELS[backend]}${compute.active ? '' : ' (the backend probe failed)'}`
            : 'measuring the compute backends first (see the header)…'}
        </span>
        <ResultsExport results={results} spec={parsed}>
          <LoadSpecButton lab="sched" disabled={running} onFile={(f) => void loadFile(f)} problem={fileProblem} loaded={loadedFrom} />
        </ResultsExport>
        {invalid ? (
          <p className="error-text small sched-invalid" role="alert" data-testid="sched-spec-error">
            {invalid}
          </p>
        ) : null}
      </div>
      {state.status === 'running' ? <RunStatus progress={state.progress} backend={state.backend} onCancel={cancel} /> : null}
      {state.status === 'failed' ? (
        <div className={`card ${state.cancelled ? '' : 'error-panel'}`} role="alert" data-testid="sched-run-failed">
          {state.cancelled ? 'The run was cancelled; rows scored before that are kept below.' : <strong>The experiment failed: {state.message}</strong>}
        </div>
      ) : null}
      <RunHistory
        lab="sched"
        results={results}
        spec={results?.spec ?? null}
        backend={state.status === 'done' ? state.backend : null}
        disabled={running}
        onOpen={(run) => show(run.results as SchedResults, (BACKEND_NAMES as readonly string[]).includes(run.backend ?? '') ? (run.backend as BackendName) : 'engine')}
      />
      {rows.length ? <ResultsTable rows={rows} topK={topK} selected={shownRow?.name ?? null} onSelect={setSelected} /> : null}
      {results ? (
        <>
          <p className="muted small" data-testid="sched-run-summary">
            {results.data.trainWindows.toLocaleString('en-US')} training windows (of {results.data.availableTrainWindows.toLocaleString('en-US')}),{' '}
            {results.data.validationWindows.toLocaleString('en-US')} validation, test positions{' '}
            {Object.entries(results.data.testPositions)
              .map(([role, n]) => `${role.replace('test-', '')} ${n.toLocaleString('en-US')}`)
              .join(', ')}
            ; {results.classNames.length} classes; {(results.elapsedMs / 1000).toFixed(1)} s on {results.backend}.
          </p>
          <WorkloadTable rows={results.rows} traces={results.data.traces} />
          <div className="grid">
            {shownRow ? <ConfusionChart row={shownRow} classNames={results.classNames} theme={theme} /> : null}
            <LossCurves rows={results.rows} theme={theme} />
          </div>
          <InferenceTable rows={results.rows} />
          <SeedComparison results={results} />
        </>
      ) : null}
    </div>
  );
}
