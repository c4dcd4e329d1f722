import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useBundleLoader } from './loading/useBundleLoader.ts';
import { useWindowDrop } from './loading/useWindowDrop.ts';
import { LoadStatus } from './loading/LoadStatus.tsx';
import { ErrorPanel } from './loading/ErrorPanel.tsx';
import { DemoSelect } from './loading/DemoPicker.tsx';
import { Landing } from './loading/Landing.tsx';
import { CsvMapping } from './loading/CsvMapping.tsx';
import type { CsvMapping as CsvMappingOptions } from '../core/importers/importer.ts';
import type { LoadedBundle } from '../workers/bundle-loader/protocol.ts';
import { OverviewPage } from './overview/OverviewPage.tsx';
import { datasetUrl, demoFromUrl, fetchDatasetIndex, type DatasetEntry } from './datasets.ts';
import { useTheme } from './theme.ts';
import { BackendPanel } from './compute/BackendPanel.tsx';
import { useComputeBackend } from './compute/useComputeBackend.ts';
import { testHooks } from './testing/test-hooks.ts';
import { LabTabs } from './labs/LabTabs.tsx';
import { labFromUrl, urlForLab, type LabView } from './labs/lab-route.ts';
import type { OverviewBundle } from './labs/shell/overview-bundle.ts';

// The lab (its forms, tables and the worker's URL) loads only when it is opened; counted as work so
// waitForIdle() does not resolve while its code is still arriving.
const CSV_NAME = /\.(csv|tsv)(\.gz)?$/i;

/** The time column the CSV importer chose, from the bundle's csv source settings. */
function csvTimeColumn(bundle: LoadedBundle): string | null {
  const time = (bundle.manifest.sources['csv']?.settings as { time?: { column?: string } | null } | undefined)?.time;
  return time?.column ?? null;
}

const SchedLabPage = lazy(() => {
  testHooks.beginWork();
  return import('./labs/sched/SchedLabPage.tsx').then((m) => ({ default: m.SchedLabPage })).finally(() => testHooks.endWork());
});
const ForecastLabPage = lazy(() => {
  testHooks.beginWork();
  return import('./labs/forecast/ForecastLabPage.tsx').then((m) => ({ default: m.ForecastLabPage })).finally(() => testHooks.endWork());
});
const VerifiedLabPage = lazy(() => {
  testHooks.beginWork();
  return import('./labs/verified/VerifiedLabPage.tsx').then((m) => ({ default: m.VerifiedLabPage })).finally(() => testHooks.endWork());
});
const FingerprintLabPage = lazy(() => {
  testHooks.beginWork();
  return import('./labs/fingerprint/FingerprintLabPage.tsx').then((m) => ({ default: m.FingerprintLabPage })).finally(() => testHooks.endWork());
});

export function App() {
  const [theme, toggleTheme] = useTheme();
  // Probed once per page, in its own worker, after first paint: the labs train on what it chose.
  const compute = useComputeBackend();
  const { state, open, cancel, dismissError, csv, tablePage, zoom, bundleFile, perfettoTrace, timelines } = useBundleLoader();
  const [demos, setDemos] = useState<DatasetEntry[]>([]);
  const [notice, setNotice] = useState<string | null>(() => {
    const { unknown } = labFromUrl(window.location.search);
    return unknown === null ? null : `No lab named "${unknown}"; showing the overview.`;
  });
  const [view, setViewState] = useState<LabView>(() => labFromUrl(window.location.search).view);
  const fileInput = useRef<HTMLInputElement>(null);
  // The last capture opened on its own: a KernelOracle CSV of several traces is opened again with another one.
  const lastCapture = useRef<File | null>(null);
  // A single dropped CSV: the page offers its column mapping (time, unit, series) beside the result.
  const [csvFile, setCsvFile] = useState<File | null>(null);
  // Set by the lab while it is shown: files dropped on the window become its bundles.
  const labDrop = useRef<((files: File[]) => void) | null>(null);

  const setView = useCallback((next: LabView) => {
    setViewState((current) => {
      if (current !== next) window.history.pushState(null, '', urlForLab(window.location.href, next));
      return next;
    });
  }, []);
  useEffect(() => {
    const onPop = () => setViewState(labFromUrl(window.location.search).view);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  // Opening a bundle from the header shows it, whichever view was open.
  const openFile = useCallback(
    (file: File) => {
      setView('overview');
      lastCapture.current = file;
      setCsvFile(CSV_NAME.test(file.name) ? file : null);
      void open({ kind: 'file', file });
    },
    [open, setView],
  );
  const openFiles = useCallback(
    (files: File[]) => {
      lastCapture.current = files.length === 1 ? files[0]! : null;
      setCsvFile(files.length === 1 && CSV_NAME.test(files[0]!.name) ? files[0]! : null);
      void open(files.length === 1 ? { kind: 'file', file: files[0]! } : { kind: 'files', files });
    },
    [open],
  );
  const openCsv = useCallback(
    (csv: CsvMappingOptions) => {
      if (csvFile) void open({ kind: 'file', file: csvFile, csv });
    },
    [open, csvFile],
  );
  const openTrace = useCallback((trace: string) => {
    if (lastCapture.current) void open({ kind: 'file', file: lastCapture.current, trace });
  }, [open]);
  const openDemo = useCallback(
    (d: DatasetEntry) => {
      setView('overview');
      const url = new URL(window.location.href);
      url.searchParams.set('demo', d.file);
      window.history.replaceState(null, '', url);
      void open({ kind: 'url', url: datasetUrl(d.file), name: d.file, ...(d.bytes ? { bytes: d.bytes } : {}) });
    },
    [open, setView],
  );
  const onDrop = useCallback((files: File[]) => (view !== 'overview' && labDrop.current ? labDrop.current(files) : openFiles(files)), [view, openFiles]);
  const dragging = useWindowDrop(onDrop);

  useEffect(() => {
    // Counted as work, so waitForIdle() does not resolve before a demo named in the URL starts loading.
    testHooks.beginWork();
    fetchDatasetIndex()
      .then((index) => {
        setDemos(index);
        const wanted = demoFromUrl(index, window.location.search);
        if (wanted === 'unknown') setNotice(`No demo bundle named "${new URLSearchParams(window.location.search).get('demo')}"; pick one below.`);
        else if (wanted) void open({ kind: 'url', url: datasetUrl(wanted.file), name: wanted.file, ...(wanted.bytes ? { bytes: wanted.bytes } : {}) });
      })
      .catch((e: Error) => setNotice(`Demo bundles unavailable: ${e.message}`))
      .finally(() => testHooks.endWork());
  }, [open]);

  // While another file loads, or after it failed, the bundle that was open stays on screen.
  const loaded = state.status === 'loaded' ? state.bundle : state.status === 'empty' ? null : state.previous;
  // The whole bundle open in the overview (not a partial), which the forecast lab can use without reading it again.
  const openId = state.status === 'loaded' ? state.bundle.bundleId : null;
  const openName = state.status === 'loaded' ? state.bundle.name : '';
  const openTables = state.status === 'loaded' ? state.bundle.tables.filter((t) => t.rows > 0).map((t) => t.name).join(',') : '';
  const overviewBundle = useMemo((): OverviewBundle | null => (openId ? { bundleId: openId, name: openName, tables: openTables ? openTables.split(',') : [] } : null), [openId, openName, openTables]);

  return (
    <div className="app">
      <header className="topbar">
        <h1>
          Telemetry Lab <span className="muted small">workbench</span>
        </h1>
        <LabTabs view={view} onChange={setView} />
        <div className="actions">
          <button type="button" onClick={() => fileInput.current?.click()} data-testid="open-file" title="A .tlab bundle, or captures other tools wrote (strace, ftrace, perf, PSI, CSV, …)">
            Open file…
          </button>
          {/* No accept filter: captures are recognised by content, and many have no telling name (strace -ff's trace.7125). */}
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="file-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              if (files.length === 1) openFile(files[0]!);
              else if (files.length > 1) {
                setView('overview');
                openFiles(files);
              }
              e.target.value = '';
            }}
          />
          {demos.length ? <DemoSelect demos={demos} onPick={openDemo} /> : null}
          <button type="button" className="ghost" onClick={toggleTheme} data-testid="theme-toggle" title="Switch between dark and light">
            {theme === 'dark' ? 'Light' : 'Dark'}
          </button>
        </div>
      </header>
      <main>
        {notice ? (
          <div className="notice" role="status">
            {notice}
          </div>
        ) : null}
        {view === 'sched' ? (
          <Suspense fallback={<p className="muted">Loading the scheduling lab…</p>}>
            <SchedLabPage theme={theme} compute={compute} dropTarget={labDrop} overviewBundle={overviewBundle} />
          </Suspense>
        ) : null}
        {view === 'forecast' ? (
          <Suspense fallback={<p className="muted">Loading the forecast lab…</p>}>
            <ForecastLabPage theme={theme} compute={compute} dropTarget={labDrop} overviewBundle={overviewBundle} />
          </Suspense>
        ) : null}
        {view === 'verified' ? (
          <Suspense fallback={<p className="muted">Loading the verified lab…</p>}>
            <VerifiedLabPage theme={theme} dropTarget={labDrop} overviewBundle={overviewBundle} />
          </Suspense>
        ) : null}
        {view === 'fingerprint' ? (
          <Suspense fallback={<p className="muted">Loading the fingerprint lab…</p>}>
            <FingerprintLabPage theme={theme} dropTarget={labDrop} overviewBundle={overviewBundle} />
          </Suspense>
        ) : null}
        {view === 'overview' ? (
          <>
            {state.status === 'loading' ? <LoadStatus name={state.name} progress={state.progress} onCancel={cancel} /> : null}
            {state.status === 'failed' ? <ErrorPanel name={state.name} error={state.error} onDismiss={dismissError} /> : null}
            {csvFile && state.status !== 'loading' && (state.status === 'failed' || loaded?.imported?.format === 'csv') ? (
              <CsvMapping file={csvFile} detectedTime={state.status === 'loaded' ? csvTimeColumn(state.bundle) : null} onApply={openCsv} />
            ) : null}
            {loaded ? (
              <OverviewPage
                key={loaded.name + loaded.bytes + loaded.manifest.createdAt}
                bundle={loaded}
                theme={theme}
                csv={csv}
                tablePage={tablePage}
                zoom={zoom}
                bundleFile={bundleFile}
                perfettoTrace={perfettoTrace}
                timelines={timelines}
                onPickTrace={openTrace}
              />
            ) : state.status !== 'loading' ? (
              <Landing demos={demos} onPickDemo={openDemo} onOpenLab={setView} onOpenFile={() => fileInput.current?.click()} />
            ) : null}
          </>
        ) : null}
      </main>
      {/* Below the page, not in the top bar: opened, the probe's report is a panel, not a header row. */}
      <footer className="app-footer">
        <BackendPanel compute={compute} />
      </footer>
      {dragging ? (
        <div className="drop-overlay" data-testid="drop-overlay">
          {view !== 'overview' ? 'Drop bundles to add them to the lab' : 'Drop a bundle or a capture (strace, ftrace, perf, PSI, CSV, …) to open it'}
        </div>
      ) : null}
    </div>
  );
}
