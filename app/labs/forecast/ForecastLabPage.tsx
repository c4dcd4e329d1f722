import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { withUnit } from './chart-options.ts';
import type { ForecastProgress, ForecastResults } from '../../../core/forecast/experiment.ts';
import { parseForecastSpec } from '../../../core/forecast/spec.ts';
import { BACKEND_LABELS, BACKEND_NAMES, type BackendName } from '../../../workers/compute/types.ts';
import type { ComputeBackend } from '../../compute/useComputeBackend.ts';
import { backendFor } from '../lab-backend.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import type { Theme } from '../../theme.ts';
import { download, jsonBlob } from '../sched/sched-export.ts';
import { BundlePicker } from './BundlePicker.tsx';
import { EmbeddingsPanel } from './EmbeddingsPanel.tsx';
import { fetchForecastDatasets, suggestedPath, type ForecastBundleChoice } from './forecast-datasets.ts';
import { resultsCsv, resultsJson } from './forecast-results.ts';
import { ResultsCharts } from './ResultsCharts.tsx';
import { ResultsTable } from './ResultsTable.tsx';
import { SavedModelsPanel, type SavedModelsHandle } from './SavedModelsPanel.tsx';
import { SpecForm } from './SpecForm.tsx';
import { browserDefaults, buildSpec, DEFAULT_TARGET, familiesOf, missingFamilies, settingsFromSpec, specProblem, type LabSettings } from './spec-form.ts';
import { useLabUrlSpec } from '../useLabUrlSpec.ts';
import { RunHistory } from '../history/RunHistory.tsx';
import { RunStatusCard } from '../shell/RunStatusCard.tsx';
import { LoadSpecButton } from '../shell/LoadSpecButton.tsx';
import { useForecastLab } from './useForecastLab.ts';
import './forecast-lab.css';

interface Props {
  theme: Theme;
  compute: ComputeBackend;
  /** The app routes files dropped on the window here while the lab is shown. */
  dropTarget: RefObject<((files: File[]) => void) | null>;
  /** The bundle open in the overview (a capture dropped there, say): offered here without reading it again. */
  overviewBundle?: { bundleId: string; name: string } | null;
}

function uniquePath(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  const stem = name.replace(/\.tlab$/i, '');
  for (let i = 2; ; i++) if (!taken.has(`${stem}-${i}.tlab`)) return `${stem}-${i}.tlab`;
}

export function ForecastLabPage({ theme, compute, dropTarget, overviewBundle = null }: Props) {
  const [ownBundles, setBundles] = useState<ForecastBundleChoice[]>([]);
  // The overview's open bundle joins the list, unless it is one listed already (a demo opened there).
  const bundles = useMemo((): ForecastBundleChoice[] => {
    if (!overviewBundle || ownBundles.some((b) => b.path === overviewBundle.name)) return ownBundles;
    return [...ownBundles, { path: overviewBundle.name, title: overviewBundle.name, group: 'overview', source: { kind: 'open', ...overviewBundle } }];
  }, [ownBundles, overviewBundle]);
  const [selected, setSelected] = useState<string | null>(null);
  const [datasetsProblem, setDatasetsProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [settings, setSettings] = useState<LabSettings>(() => browserDefaults());
  const [suggestedGrid, setSuggestedGrid] = useState<{ horizons?: number[]; histories?: number[] } | undefined>(undefined);
  const { state, series, embedding, loadSeries, start, embed, applySaved, cancel, show } = useForecastLab();
  const savedModels = useRef<SavedModelsHandle>(null);
  const running = state.status === 'running';

  // The lab trains on what the probe measures, so opening it is when the probe is first wanted.
  const { start: startProbe } = compute;
  useEffect(() => startProbe(), [startProbe]);

  useEffect(() => {
    let live = true;
    testHooks.beginWork();
    fetchForecastDatasets()
      .then((d) => {
        if (!live) return;
        setBundles((prev) => [...d.bundles, ...prev.filter((b) => b.group === 'file')]);
        // ?bundle=PATH (as the spec names it) opens the lab on that bundle; it is user input, so only a listed path counts.
        const asked = new URLSearchParams(window.location.search).get('bundle');
        const want = [asked, suggestedPath(d.suggested)].find((p) => p && d.bundles.some((b) => b.path === p));
        if (asked && asked !== want) setNotice(`No bundle "${asked}" among the datasets; showing ${want ?? d.bundles[0]?.path ?? 'none'}.`);
        setSelected((cur) => cur ?? want ?? d.bundles[0]?.path ?? null);
        if (d.suggested) setSuggestedGrid({ ...(d.suggested.horizons ? { horizons: d.suggested.horizons } : {}), ...(d.suggested.histories ? { histories: d.suggested.histories } : {}) });
        if (d.suggested?.seed !== undefined || d.suggested?.target) {
          setSettings((s) => ({ ...s, seed: d.suggested?.seed ?? s.seed, target: d.suggested?.target ?? s.target }));
        }
      })
      .catch((e: Error) => live && setDatasetsProblem(`The shipped datasets are unavailable: ${e.message}. Add a bundle of your own instead.`))
      .finally(() => testHooks.endWork());
    return () => {
      live = false;
    };
  }, []);

  // Bundles and captures alike (a CSV, a Prometheus export, an strace log): the worker imports a capture as the
  // overview would, and the file added last is selected, so one it cannot read is said at once in the series card.
  const addFiles = useCallback((files: File[]) => {
    setNotice(null);
    if (files.length === 0) return;
    setBundles((prev) => {
      const taken = new Set(prev.map((b) => b.path));
      const added = files.map((file): ForecastBundleChoice => {
        const path = uniquePath(file.name, taken);
        taken.add(path);
        return { path, title: path, group: 'file', bytes: file.size, source: { kind: 'file', file } };
      });
      // The last file added is the one the user wants to look at.
      setSelected(added.at(-1)!.path);
      return [...prev, ...added];
    });
  }, []);


  const bundle = bundles.find((b) => b.path === selected) ?? null;
  useEffect(() => {
    if (bundle) loadSeries(bundle);
    // Only a different bundle needs its series read again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bundle?.path, loadSeries]);

  const listing = series.status === 'ready' && series.path === selected ? series.listing : null;
  // A bundle without the chosen target falls back to the group's CPU, or its first series.
  useEffect(() => {
    if (!listing) return;
    const present = familiesOf(listing.series);
    setSettings((s) => {
      const has = (id: string | undefined) => !!id && listing.series.some((x) => x.id === id);
      // The dataset's own suggestion (an imported series names the one worth forecasting) before the usual default.
      const target = has(s.target) ? s.target : has(bundle?.target) ? bundle!.target! : has(DEFAULT_TARGET) ? DEFAULT_TARGET : (listing.series[0]?.id ?? s.target);
      const inputSets = s.inputSets.filter((id) => missingFamilies(id, present).length === 0);
      const fallback = present.has('usage') ? ['usage'] : present.has('counters') ? ['history', 'history+counters'] : ['history'];
      return target === s.target && inputSets.length === s.inputSets.length ? s : { ...s, target, inputSets: inputSets.length ? inputSets : fallback };
    });
  }, [listing, bundle?.target]);

  const spec = useMemo(() => buildSpec(settings, bundle?.path ?? ''), [settings, bundle]);
  const invalid = useMemo(() => (bundle ? specProblem(spec, listing?.series ?? null) : 'Choose a bundle.'), [spec, listing, bundle]);
  const parsed = useMemo(() => (invalid ? null : parseForecastSpec(spec)), [spec, invalid]);
  const backend = backendFor(compute);
  const results = state.status === 'done' ? state.results : null;
  const embeddingBusy = embedding.status === 'running';

  /** A spec from the link into the form and the bundle it names; what is wrong with it, in words, or null. */
  const applySpec = (json: unknown): string | null => {
    let loaded;
    try {
      loaded = settingsFromSpec(parseForecastSpec(json));
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    // Paths as the lab lists them ("forecast/x.tlab"), or as the forecast folder's own spec names them ("x.tlab").
    const found = [loaded.bundlePath, `forecast/${loaded.bundlePath}`].find((p) => bundles.some((b) => b.path === p));
    if (!found) return `it names bundle "${loaded.bundlePath}", which is not among the datasets here (add the file, then load the spec again)`;
    setSelected(found);
    setSettings(loaded.settings);
    return null;
  };
  const { urlProblem, loadedFrom, fileProblem, loadFile } = useLabUrlSpec({
    ready: bundles.length > 0 || datasetsProblem !== null,
    apply: applySpec,
    drop: { target: dropTarget, add: addFiles },
    spec: parsed,
    canRun: !running && !embeddingBusy && !invalid && !!backend && !!listing && !!bundle,
    run: useCallback(() => backend && bundle && start(spec, bundle, backend), [backend, bundle, start, spec]),
  });
  useEffect(() => {
    testHooks.setLabResults('forecast', results ? () => resultsJson(results) : null);
    return () => testHooks.setLabResults('forecast', null);
  }, [results]);

  return (
    <div className="fc-lab" data-testid="forecast-lab">
      <section className="card">
        <h2>Forecast lab</h2>
        <p className="muted small">
          Forecast a series of a bundle (by default the process group&apos;s CPU usage, as a fraction of one CPU) <em>h</em> intervals ahead from the last <em>k</em>{' '}
          intervals of chosen inputs, with baselines, ridge, a random forest, an LSTM and a TCN on the same splits; the error map over horizon × history, with and
          without syscall inputs. Training runs in a worker; the exported spec gives the same numbers from <code>npx tlab run spec.json</code>.
        </p>
      </section>
      {datasetsProblem ? (
        <div className="notice" role="status" data-testid="forecast-datasets-problem">
          {datasetsProblem}
        </div>
      ) : null}
      {urlProblem ? (
        <div className="notice error-text" role="alert" data-testid="forecast-url-spec-error">
          {urlProblem}
        </div>
      ) : null}
      {notice ? (
        <div className="notice" role="status">
          {notice}
        </div>
      ) : null}
      <div className="fc-setup">
        <BundlePicker bundles={bundles} selected={selected} onSelect={setSelected} onAddFiles={addFiles} series={series.status !== 'none' && series.path === selected ? series : { status: 'none' }} disabled={running || embeddingBusy} />
        <SpecForm suggestedGrid={suggestedGrid} settings={settings} onChange={setSettings} series={listing?.series ?? null} disabled={running} />
      </div>
      <div className="card fc-run-line">
        <button
          type="button"
          className="primary"
          disabled={running || embeddingBusy || !!invalid || !backend || !listing}
          onClick={() => backend && bundle && start(spec, bundle, backend)}
          data-testid="forecast-run"
        >
          Run experiment
        </button>
        <span className="muted small" data-testid="forecast-backend">
          {backend ? `on ${BACKEND_LABELS[backend]}${compute.active ? '' : ' (the backend probe failed)'}` : 'measuring the compute backends first (see the header)…'}
        </span>
        <div className="fc-export" data-testid="forecast-export">
          <button type="button" className="small" disabled={!parsed} onClick={() => download(jsonBlob(parsed), 'forecast-spec.json')} data-testid="forecast-export-spec" title="Bundle path as in datasets/: save it there and run npx tlab run forecast-spec.json">
            Spec JSON
          </button>
          <LoadSpecButton lab="forecast" disabled={running} onFile={(f) => void loadFile(f)} problem={fileProblem} loaded={loadedFrom} />
          <button type="button" className="small" disabled={!results} onClick={() => results && download(jsonBlob(resultsJson(results)), 'forecast-results.json')} data-testid="forecast-export-json">
            Results JSON
          </button>
          <button type="button" className="small" disabled={!results} onClick={() => results && download(new Blob([resultsCsv(results)], { type: 'text/csv' }), 'forecast-results.csv')} data-testid="forecast-export-csv">
            Results CSV
          </button>
        </div>
        {invalid ? (
          <p className="error-text small fc-invalid" role="alert" data-testid="forecast-spec-error">
            {invalid}
          </p>
        ) : null}
      </div>
      {state.status === 'running' ? <RunStatus progress={state.progress} backend={state.backend} onCancel={cancel} /> : null}
      {state.status === 'failed' ? (
        <div className={`card ${state.cancelled ? '' : 'error-panel'}`} role="alert" data-testid="forecast-run-failed">
          {state.cancelled ? 'The run was cancelled.' : <strong>The experiment failed: {state.message}</strong>}
        </div>
      ) : null}
      <RunHistory
        lab="forecast"
        results={results}
        spec={results?.spec ?? null}
        backend={state.status === 'done' ? state.backend : null}
        disabled={running}
        onOpen={(run) => show(run.results as ForecastResults, (BACKEND_NAMES as readonly string[]).includes(run.backend ?? '') ? (run.backend as BackendName) : 'engine')}
      />
      {results ? (
        <>
          <p className="muted small" data-testid="forecast-run-summary">
            {withUnit(results.target.name, results.target.unit)} on <code>{results.spec.bundle.path}</code>: {results.intervals} intervals of {results.intervalS.toFixed(2)} s;{' '}
            {results.inputSets.map((s) => `${s.name} = ${s.seriesIds.length} series`).join(', ')}; {results.rows.length} cells in {(results.elapsedMs / 1000).toFixed(1)} s on{' '}
            {results.backend}.
          </p>
          {results.skipped.length ? (
            <details className="notice" data-testid="forecast-skipped">
              <summary>{results.skipped.length} cells could not run</summary>
              <ul className="small">
                {results.skipped.map((s) => (
                  <li key={`${s.model}-${s.horizon}-${s.history}`}>
                    {s.model} at h={s.horizon}, k={s.history}: {s.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <ResultsCharts results={results} theme={theme} onKeep={(saved) => savedModels.current?.keep(saved)} />
          <ResultsTable rows={results.rows} unit={results.target.unit} />
        </>
      ) : null}
      <SavedModelsPanel
        handle={savedModels}
        bundlePath={bundle?.path ?? null}
        onApply={(saved) => (bundle ? applySaved(saved, bundle) : Promise.resolve({ ok: false, message: 'choose a bundle first' }))}
        busy={running || embeddingBusy}
        theme={theme}
      />
      {bundle ? (
        <EmbeddingsPanel
          state={embedding.status === 'done' && embedding.path !== selected ? { status: 'idle' } : embedding}
          hasSyscalls={!listing || familiesOf(listing.series, 0).has('syscalls')}
          busy={running}
          onTrain={(s) => embed(bundle, s)}
          onCancel={cancel}
          runEmbedding={results && results.spec.bundle.path === selected ? results.embedding : null}
          theme={theme}
        />
      ) : null}
    </div>
  );
}

function RunStatus({ progress, backend, onCancel }: { progress: ForecastProgress | null; backend: BackendName; onCancel: () => void }) {
  return (
    <RunStatusCard
      testId="forecast-run-status"
      phase={progress ? 'Running' : null}
      phaseKey={progress ? 'running' : undefined}
      fraction={progress?.fraction ?? null}
      message={progress?.message ?? null}
      backend={backend}
      action={{ label: 'Cancel', onClick: onCancel, testId: 'forecast-cancel' }}
    />
  );
}
