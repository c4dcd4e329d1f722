import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { parseVerifiedSpec } from '../../../core/verified-lab/spec.ts';
import type { ComputeBackend } from '../../compute/useComputeBackend.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import type { Theme } from '../../theme.ts';
import { download, jsonBlob } from '../sched/sched-export.ts';
import { BundleChooser } from './BundleChooser.tsx';
import { CertificatePanel } from './CertificatePanel.tsx';
import { CorrelationView } from './CorrelationView.tsx';
import { Counterexamples } from './Counterexamples.tsx';
import { Figure5, Figure6 } from './Figures.tsx';
import { RoundsTable, ScoresTable, VerificationsTable } from './ResultsTables.tsx';
import { RunProgress } from './RunProgress.tsx';
import { LoadSpecButton } from '../shell/LoadSpecButton.tsx';
import { DataFields, SpecEditor } from './SpecEditor.tsx';
import { buildSpec, bundleKey, defaultInputs, defaultService, defaultSettings, settingsFromSpec, specProblem, TARGET_CHOICES, type LabSettings } from './spec-form.ts';
import { useLabUrlSpec } from '../useLabUrlSpec.ts';
import { RunHistory } from '../history/RunHistory.tsx';
import type { VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import { useVerifiedLab } from './useVerifiedLab.ts';
import { fetchVerifiedDatasets, uniquePath, VERIFIED_NEEDS, type VerifiedBundleChoice } from './verified-datasets.ts';
import { resultsJson } from './verified-export.ts';
import './echarts-extra.ts';
import './verified-lab.css';
import type { OverviewBundle } from '../shell/overview-bundle.ts';
import { admitFiles } from '../shell/admit-files.ts';

interface Props {
  theme: Theme;
  /** Accepted like the other labs'; this lab always trains on the CPU engine (its verifier works on the engine's MLP). */
  compute?: ComputeBackend;
  /** The app routes files dropped on the window here while the lab is shown. */
  dropTarget: RefObject<((files: File[]) => void) | null>;
  /** The bundle open in the overview: offered here without reading it again, when it has a latency table. */
  overviewBundle?: OverviewBundle | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The verified lab (vPALs): latency of a service from pressure, usage and its configuration, learned by an MLP that
 * counterexample-guided training makes provably monotone in chosen inputs, beside the same MLP trained without the
 * verifier and trivial baselines; both verifiers on both networks; counterexamples to look at; a certificate.
 */
export function VerifiedLabPage({ theme, dropTarget, overviewBundle = null }: Props) {
  const [bundles, setBundles] = useState<VerifiedBundleChoice[]>([]);
  const [about, setAbout] = useState<string | null>(null);
  const [datasetsProblem, setDatasetsProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [settings, setSettings] = useState<LabSettings>(() => defaultSettings());
  const [selectedCex, setSelectedCex] = useState(0);
  const { state, listing, recheck, loadListing, start, stop, recheckModel, recheckFailed, show, tablesOf } = useVerifiedLab();
  const running = state.status === 'running';
  // Until the user ticks an input or imports a spec, the inputs follow the bundles (vPALs' choice among what they have).
  const autoInputs = useRef(true);
  const cexSection = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    testHooks.beginWork();
    fetchVerifiedDatasets()
      .then((d) => {
        if (!live) return;
        setBundles((prev) => [...d.bundles, ...prev.filter((b) => b.source.kind !== 'dataset')]);
        setAbout(d.about);
        const shipped = new Set(d.bundles.map((b) => b.path));
        if (d.suggested) {
          const s = settingsFromSpec(d.suggested);
          const paths = s.bundles.map(bundleKey).filter((p) => shipped.has(p));
          autoInputs.current = false;
          setSettings((cur) => ({ ...s, bundles: paths.length ? paths : [...shipped], ...(cur.bundles.length ? { bundles: cur.bundles } : {}) }));
        } else {
          setSettings((cur) => (cur.bundles.length ? cur : { ...cur, bundles: [...shipped] }));
        }
      })
      .catch((e: Error) => live && setDatasetsProblem(`The shipped verified-lab datasets are unavailable: ${e.message}. Add bundles recorded with tlab bench instead.`))
      .finally(() => testHooks.endWork());
    return () => {
      live = false;
    };
  }, []);

  // Any file is read (a capture imported) by the worker first; one with no latency table is refused at once, by name.
  const latest = useRef(bundles);
  latest.current = bundles;
  const addFiles = useCallback(
    (files: File[]) =>
      void admitFiles(files, tablesOf, ['latency'], VERIFIED_NEEDS).then(({ admitted, refused }) => {
        setNotice(refused.length ? refused.join(' ') : null);
        if (admitted.length === 0) return;
        const taken = new Set(latest.current.map((b) => b.path));
        const added = admitted.map((file): VerifiedBundleChoice => {
          const path = uniquePath(file.name, taken);
          taken.add(path);
          return { path, title: file.name, bytes: file.size, source: { kind: 'file', file } };
        });
        setBundles((prev) => [...prev, ...added]);
        // Added files are used; the others stay as chosen.
        setSettings((s) => ({ ...s, bundles: [...s.bundles, ...added.map((a) => a.path)] }));
      }),
    [tablesOf],
  );


  /** The overview's open bundle joins the chosen ones, unread: the loader worker answers from what it holds. */
  const addOpen = (o: OverviewBundle) => {
    if (bundles.some((b) => b.source.kind === 'open' && b.source.bundleId === o.bundleId)) return;
    const path = uniquePath(o.name, new Set(bundles.map((b) => b.path)));
    setBundles((prev) => [...prev, { path, title: o.name, source: { kind: 'open', bundleId: o.bundleId, name: o.name } }]);
    setSettings((s) => ({ ...s, bundles: [...s.bundles, path] }));
  };

  const chosen = useMemo(() => settings.bundles.map((p) => bundles.find((b) => b.path === p)).filter((b): b is VerifiedBundleChoice => b !== undefined), [settings.bundles, bundles]);
  const warmup = Number.isInteger(settings.warmupIntervals) && settings.warmupIntervals >= 0 ? settings.warmupIntervals : 1;
  const listingKey = `${chosen.map((b) => b.path).join('\u0000')}|${settings.target}|${warmup}`;
  useEffect(() => {
    loadListing(chosen, settings.target, warmup);
    // The key says when the bundles, the target or the warm-up changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [listingKey, loadListing]);

  const ready = listing.status === 'ready' && listing.key === listingKey ? listing.listing : null;
  // A service the bundles lack falls back to the one with the most rows; inputs follow the bundles until chosen by hand.
  useEffect(() => {
    if (!ready) return;
    setSettings((s) => {
      let next = s;
      if (!ready.services.some((x) => x.name === s.service)) next = { ...next, service: defaultService(ready) };
      if (autoInputs.current) {
        const inputs = defaultInputs(ready, next.service);
        if (inputs.join() !== s.inputs.join()) next = { ...next, inputs };
      }
      return next;
    });
  }, [ready, settings.service]);

  const problem = useMemo(() => specProblem(settings, ready), [settings, ready]);
  const spec = useMemo(() => (problem ? null : parseVerifiedSpec(buildSpec(settings))), [settings, problem]);
  const results = state.status === 'done' ? state.results : null;
  useEffect(() => setSelectedCex(0), [results]);

  const toggleInput = (id: string, on: boolean) => {
    autoInputs.current = false;
    setSettings((s) => ({ ...s, inputs: on ? [...s.inputs.filter((x) => x !== id), id] : s.inputs.filter((x) => x !== id) }));
  };

  /** A spec (from a file or the link) into the form; what is wrong with it, in words, or null. */
  const loadSpecJson = useCallback(
    (json: unknown, from: string): string | null => {
      let parsed;
      try {
        parsed = parseVerifiedSpec(json);
      } catch (e) {
        return message(e);
      }
      const s = settingsFromSpec(parsed);
      const have = new Set(bundles.map((b) => b.path));
      const wanted = s.bundles.map(bundleKey);
      const missing = wanted.filter((p) => !have.has(p));
      autoInputs.current = false;
      setSettings({ ...s, bundles: wanted.filter((p) => have.has(p)) });
      setNotice(
        missing.length
          ? `Spec ${from} loaded; it names bundles that are not here (${missing.join(', ')}): add them (drop the .tlab files on the page) to run it as written.`
          : `Spec ${from} loaded.`,
      );
      return null;
    },
    [bundles],
  );

  const bundlesListed = bundles.length > 0 || datasetsProblem !== null;
  const { urlProblem, fileProblem, loadFile } = useLabUrlSpec({
    ready: bundlesListed,
    apply: loadSpecJson,
    drop: { target: dropTarget, add: addFiles },
    spec,
    canRun: !running && !!spec && !!ready,
    run: useCallback(() => spec && start(spec, chosen), [spec, chosen, start]),
  });

  useEffect(() => {
    testHooks.setLabResults('verified', results ? () => resultsJson(results) : null);
    return () => testHooks.setLabResults('verified', null);
  }, [results]);

  const showCounterexample = (k: number) => {
    setSelectedCex(k);
    cexSection.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  const targetLabel = TARGET_CHOICES.find((t) => t.id === settings.target)?.label ?? settings.target;
  return (
    <div className="vl-lab" data-testid="verified-lab">
      <section className="card">
        <h2>Verified lab</h2>
        <p className="muted small">
          vPALs in the browser: predict a service&apos;s latency from machine pressure (PSI), usage and its configuration with a small ReLU MLP, and make it{' '}
          <em>provably</em> monotone in chosen inputs (more pressure never predicts less latency) by counterexample-guided training. The same network trained as
          long without the verifier, a mean, a linear and an isotonic baseline are scored beside it on the same split; both networks are checked by the complete
          verifier and by Ouroboros&apos;s interval method. Everything runs in a worker on the CPU engine; the exported spec gives the same numbers from{' '}
          <code>npx tlab run spec.json</code>.
        </p>
      </section>
      {datasetsProblem ? (
        <div className="notice" role="status" data-testid="verified-datasets-problem">
          {datasetsProblem}
        </div>
      ) : null}
      {notice ? (
        <div className="notice" role="status" data-testid="verified-notice">
          {notice}
        </div>
      ) : null}
      <BundleChooser
        bundles={bundles}
        chosen={settings.bundles}
        onToggle={(path, on) => setSettings((s) => ({ ...s, bundles: on ? [...s.bundles.filter((p) => p !== path), path] : s.bundles.filter((p) => p !== path) }))}
        onAddFiles={addFiles}
        onRemove={(path) => {
          setBundles((prev) => prev.filter((b) => b.path !== path));
          setSettings((s) => ({ ...s, bundles: s.bundles.filter((p) => p !== path) }));
        }}
        about={about}
        listing={listing.status !== 'none' && listing.key === listingKey ? listing : { status: 'none' }}
        disabled={running}
        overviewBundle={overviewBundle}
        onUseOverview={addOpen}
      >
        <DataFields settings={settings} onChange={setSettings} listing={ready} disabled={running} />
      </BundleChooser>
      {ready ? (
        <CorrelationView
          listing={ready}
          service={settings.service}
          targetLabel={targetLabel}
          inputs={settings.inputs}
          onToggle={toggleInput}
          onDefaults={() => {
            autoInputs.current = false;
            setSettings((s) => ({ ...s, inputs: defaultInputs(ready, s.service) }));
          }}
          onClear={() => {
            autoInputs.current = false;
            setSettings((s) => ({ ...s, inputs: [] }));
          }}
          theme={theme}
          disabled={running}
        />
      ) : null}
      <SpecEditor settings={settings} onChange={setSettings} listing={ready} disabled={running} />
      <div className="card vl-run-line">
        <button type="button" className="primary" disabled={running || !spec || !ready} onClick={() => spec && start(spec, chosen)} data-testid="verified-run">
          Train and verify
        </button>
        <span className="muted small">on the CPU engine in a worker{spec ? ` · ${spec.model.hidden.join('×')} MLP, up to ${spec.cegis.maxRounds} rounds of ${spec.cegis.epochsPerRound} epochs` : ''}</span>
        <div className="vl-buttons vl-export">
          <button
            type="button"
            className="small"
            disabled={!spec}
            onClick={() => spec && download(jsonBlob(spec), 'verified-spec.json')}
            aria-label="Download the spec as JSON (for tlab run)"
            title="Bundle paths as in datasets/verified/: save it there and run npx tlab run verified-spec.json"
            data-testid="verified-export-spec"
          >
            Spec JSON
          </button>
          <LoadSpecButton lab="verified" disabled={running} onFile={(f) => void loadFile(f)} problem={fileProblem} />
          <button
            type="button"
            className="small"
            disabled={!results}
            onClick={() => results && download(jsonBlob(resultsJson(results)), 'verified-results.json')}
            aria-label="Download the results as JSON"
            data-testid="verified-export-results"
          >
            Results JSON
          </button>
        </div>
        {problem ? (
          <p className="error-text small vl-invalid" role="alert" data-testid="verified-spec-error">
            {problem}
          </p>
        ) : null}
        {urlProblem ? (
          <p className="error-text small" role="alert" data-testid="verified-url-spec-error">
            {urlProblem}
          </p>
        ) : null}
      </div>
      {state.status === 'running' ? <RunProgress progress={state.progress} epochs={state.epochs} onStop={stop} theme={theme} /> : null}
      {state.status === 'failed' ? (
        <div className={`card ${state.stopped ? '' : 'error-panel'}`} role="alert" data-testid="verified-run-failed" data-stopped={String(state.stopped)}>
          {state.stopped ? (
            'Stopped: the lab\u2019s worker was terminated and its work discarded. The next run starts a new worker.'
          ) : (
            <strong>The experiment failed: {state.message}</strong>
          )}
        </div>
      ) : null}
      <RunHistory lab="verified" results={results} spec={results?.spec ?? null} backend={results?.backend ?? null} disabled={running} onOpen={(run) => show(run.results as VerifiedResults)} />
      {results ? (
        <>
          {results.clockStopped?.length ? (
            <div className="notice error-text" role="alert" data-testid="verified-clock-stopped">
              The clock guard ({results.spec.verifier.seconds} s) stopped {results.clockStopped.join(', ')} before the work budget was spent: those answers, and
              what was trained after them, depend on this machine&apos;s speed, so the same spec may give other numbers elsewhere. Raise the clock guard or lower
              the boxes and MILP nodes per verification for a reproducible run.
            </div>
          ) : null}
          <p className="muted small" data-testid="verified-run-summary">
            {results.data.rows.toLocaleString('en-US')} usable intervals of {results.service} in {results.data.configurations} configurations (
            {results.data.testConfigurations.length ? `held out: ${results.data.testConfigurations.join(', ')}` : 'split by row'}); left out:{' '}
            {results.data.dropped.warmup} warm-up, {results.data.dropped.noRequests} without requests, {results.data.dropped.missingInputs} missing an input.{' '}
            {(results.elapsedMs / 1000).toFixed(1)} s on {results.backend}.
          </p>
          <ScoresTable results={results} />
          <div className="grid">
            <Figure5 results={results} theme={theme} />
            <Figure6 results={results} theme={theme} />
          </div>
          <RoundsTable results={results} />
          <VerificationsTable results={results} onShowCounterexample={showCounterexample} />
          <div ref={cexSection}>
            <Counterexamples results={results} selected={selectedCex} onSelect={setSelectedCex} theme={theme} />
          </div>
        </>
      ) : null}
      <CertificatePanel results={results} recheck={recheck} onRecheck={recheckModel} onRejected={recheckFailed} />
    </div>
  );
}
