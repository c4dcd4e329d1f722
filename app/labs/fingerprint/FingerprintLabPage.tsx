import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { FingerprintResults } from '../../../core/fingerprint/experiment.ts';
import { FingerprintSpec, parseFingerprintSpec, SOURCE_FAMILIES, type FingerprintSpecInput, type SourceFamily } from '../../../core/fingerprint/spec.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { datasetUrl } from '../../datasets.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import type { Theme } from '../../theme.ts';
import { fetchFingerprintDatasets, FINGERPRINT_FOLDER, type FingerprintIndex } from './fingerprint-datasets.ts';
import { useFingerprintLab } from './useFingerprintLab.ts';
import { useLabUrlSpec } from '../useLabUrlSpec.ts';
import { LoadSpecButton } from '../shell/LoadSpecButton.tsx';
import { RunHistory } from '../history/RunHistory.tsx';
import { download, jsonBlob } from '../sched/sched-export.ts';
import type { LabSource } from '../../../workers/lab-bundles.ts';
import './echarts-extra.ts';
import './fingerprint-lab.css';
import { OverviewBundleOffer } from '../shell/OverviewBundleOffer.tsx';
import type { OverviewBundle } from '../shell/overview-bundle.ts';
import { datasetRelative } from '../url-spec.ts';

interface Props {
  theme: Theme;
  dropTarget?: RefObject<((files: File[]) => void) | null>;
  /** The bundle open in the overview: offered as a run of its own without reading it again. */
  overviewBundle?: OverviewBundle | null;
}

type Role = 'known' | 'unknown' | 'off';

/** A bundle or capture the user dropped or picked, or the overview's open bundle: its own workload name and role. */
interface ExtraRun {
  name: string;
  source: { file: File } | { bundleId: string; name: string };
  workload: string;
  role: 'known' | 'unknown';
}

interface Settings {
  method: 'bocpd' | 'pelt';
  lambda: string;
  penalty: string;
  cost: 'l2' | 'rbf';
  minSegment: string;
  maxPhases: string;
  normalisation: 'cwd' | 'zscore' | 'log' | 'none';
  distance: 'dtw' | 'euclidean';
  band: string;
  thresholdK: string;
  rounds: string;
  seed: string;
  runs: string;
  sources: SourceFamily[];
  leaveOneRunOut: boolean;
}

const DEFAULTS: Settings = {
  method: 'bocpd',
  lambda: '20',
  penalty: '3',
  cost: 'l2',
  minSegment: '3',
  maxPhases: '4',
  normalisation: 'log',
  distance: 'dtw',
  band: '2',
  thresholdK: '1',
  rounds: '40',
  seed: '1',
  runs: '10',
  sources: ['usage', 'psi', 'counters'],
  leaveOneRunOut: true,
};

const SOURCE_NAMES: Record<SourceFamily, string> = { usage: 'proc / cgroup usage', psi: 'PSI', counters: 'perf software events', syscalls: 'syscall mix (strace)', sched: 'scheduler statistics (ftrace)' };
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));

/** Spec fields the form does not show, kept from a loaded spec (a link, a replay) so that it round-trips unchanged. */
type SpecExtra = Partial<FingerprintSpec>;

function buildSpec(s: Settings, index: FingerprintIndex | null, roles: Record<string, Role>, extra: readonly ExtraRun[], kept: SpecExtra = {}): { spec: FingerprintSpecInput; sources: LabSource[] } | { error: string } {
  if (!index) return { error: 'the datasets are not loaded yet' };
  const runs = num(s.runs);
  // A loaded spec's own bundle order is kept: the 70/30 split and the trees' training order follow it, so the
  // index's order would give other numbers than `tlab run` gives for the same spec (the GBT: 94.4 % for 100 %).
  const rank = new Map((kept.bundles ?? []).map((b, i) => [datasetRelative(b.path, 'fingerprint'), i]));
  const at = (file: string) => rank.get(file) ?? rank.size;
  const shipped = index.bundles.filter((b) => (roles[b.workload] ?? 'off') !== 'off' && b.run <= runs).sort((a, b) => at(a.file) - at(b.file));
  const bundles = [
    ...shipped.map((b) => ({ path: b.file, workload: b.workload, role: roles[b.workload] as 'known' | 'unknown' })),
    ...extra.map((e) => ({ path: e.name, workload: e.workload.trim() || e.name, role: e.role })),
  ];
  const sources: LabSource[] = [...shipped.map((b) => ({ url: datasetUrl(FINGERPRINT_FOLDER + b.file) })), ...extra.map((e) => e.source)];
  const spec: FingerprintSpecInput = {
    ...kept,
    lab: 'fingerprint',
    seed: num(s.seed),
    bundles,
    sources: s.sources,
    normalisation: s.normalisation,
    changePoints: { ...kept.changePoints, method: s.method, lambda: num(s.lambda), penalty: num(s.penalty), cost: s.cost, minSegment: num(s.minSegment) },
    maxPhases: num(s.maxPhases),
    distance: { kind: s.distance, band: num(s.band) },
    thresholdK: num(s.thresholdK),
    classifier: { ...kept.classifier, rounds: num(s.rounds) },
    split: { trainShare: kept.split?.trainShare ?? 0.7, leaveOneRunOut: s.leaveOneRunOut },
  };
  const r = FingerprintSpec.safeParse(spec);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return { error: `${i.path.join('.') || 'spec'}: ${i.message}` };
  }
  return { spec, sources };
}

/**
 * A spec (validated) as the form: roles per workload and runs per workload from its bundles, which must be shipped
 * runs 1..n of each workload it names (what the form can select); what the form does not show is kept aside.
 */
function fromSpec(spec: FingerprintSpec, index: FingerprintIndex): { settings: Settings; roles: Record<string, Role>; kept: SpecExtra } | { error: string } {
  const byFile = new Map(index.bundles.map((b) => [b.file, b]));
  const roles: Record<string, Role> = Object.fromEntries(index.workloads.map((w) => [w.id, 'off' as Role]));
  let runs = 0;
  for (const b of spec.bundles) {
    const file = datasetRelative(b.path, 'fingerprint');
    const shipped = byFile.get(file);
    if (!shipped) return { error: `bundle "${b.path}" is not among the shipped fingerprint runs (add the file, then set the form by hand)` };
    if (shipped.workload !== b.workload) return { error: `bundle "${b.path}" is a run of ${shipped.workload}, not "${b.workload}"` };
    roles[b.workload] = b.role;
    runs = Math.max(runs, shipped.run);
  }
  const chosen = (w: string) => index.bundles.filter((b) => b.workload === w && b.run <= runs).length;
  for (const w of Object.keys(roles)) {
    if (roles[w] === 'off') continue;
    if (spec.bundles.filter((b) => b.workload === w).length !== chosen(w)) return { error: `the spec takes some but not all of ${w}'s first ${runs} runs, which the form cannot show` };
  }
  const { lab: _lab, seed, bundles: _b, sources, normalisation, changePoints, maxPhases, distance, thresholdK, classifier, split, ...rest } = spec;
  return {
    roles,
    kept: { ...rest, bundles: spec.bundles, changePoints, classifier, split },
    settings: {
      method: changePoints.method,
      lambda: String(changePoints.lambda),
      penalty: String(changePoints.penalty),
      cost: changePoints.cost,
      minSegment: String(changePoints.minSegment),
      maxPhases: String(maxPhases),
      normalisation,
      distance: distance.kind,
      band: String(distance.band),
      thresholdK: String(thresholdK),
      rounds: String(classifier.rounds),
      seed: String(seed),
      runs: String(runs),
      sources: [...sources],
      leaveOneRunOut: split.leaveOneRunOut,
    },
  };
}

/**
 * The fingerprint lab (CWD): change points per series, phase fingerprints, DTW / Euclidean similarity, thresholds
 * for unknown workloads, and a gradient-boosted classifier beside nearest-fingerprint and majority baselines.
 */
export function FingerprintLabPage({ theme, dropTarget, overviewBundle = null }: Props) {
  const [index, setIndex] = useState<FingerprintIndex | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [roles, setRoles] = useState<Record<string, Role>>({});
  const [settings, setSettings] = useState<Settings>(DEFAULTS);
  const [previewFile, setPreviewFile] = useState<string>('');
  const [previewCounter, setPreviewCounter] = useState<string | null>(null);
  const [confusionSplit, setConfusionSplit] = useState(0);
  const { state, preview, loadPreview, start, show } = useFingerprintLab();
  const [extra, setExtra] = useState<ExtraRun[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  // Dropped or picked files join the lab as runs of their own (a .tlab, or a capture such as a PerfSpect CSV).
  const addFiles = useCallback((files: File[]) => {
    setExtra((prev) => {
      const taken = new Set(prev.map((e) => e.name));
      const out = [...prev];
      for (const file of files) {
        let name = file.name;
        for (let k = 2; taken.has(name); k++) name = `${file.name} (${k})`;
        taken.add(name);
        out.push({ name, source: { file }, workload: file.name.replace(/\.[^.]+$/, '').replace(/[-_]\d+$/, ''), role: 'unknown' });
      }
      return out;
    });
  }, []);
  // The overview's bundle becomes a run of its own and the preview shows it (read from the loader, not again).
  const addOpen = (o: OverviewBundle) => {
    if (extra.some((e) => 'bundleId' in e.source && e.source.bundleId === o.bundleId)) return;
    const taken = new Set(extra.map((e) => e.name));
    let name = o.name;
    for (let k = 2; taken.has(name); k++) name = `${o.name} (${k})`;
    setExtra((prev) => [...prev, { name, source: { bundleId: o.bundleId, name: o.name }, workload: o.name.replace(/\.[^.]+$/, '').replace(/[-_]\d+$/, ''), role: 'unknown' }]);
    setPreviewFile(name);
  };
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setSettings((s) => ({ ...s, [k]: v }));

  useEffect(() => {
    let live = true;
    testHooks.beginWork();
    fetchFingerprintDatasets()
      .then(({ index, spec }) => {
        if (!live) return;
        setIndex(index);
        const r: Record<string, Role> = {};
        for (const w of index.workloads) r[w.id] = 'known';
        for (const b of spec?.bundles ?? []) r[b.workload] = b.role ?? 'known';
        setRoles(r);
        setPreviewFile(index.bundles[0]?.file ?? '');
      })
      .catch((e: unknown) => live && setProblem(e instanceof Error ? e.message : String(e)))
      .finally(() => testHooks.endWork());
    return () => {
      live = false;
    };
  }, []);

  const [kept, setKept] = useState<SpecExtra>({});
  const built = useMemo(() => buildSpec(settings, index, roles, extra, kept), [settings, index, roles, extra, kept]);
  const spec = 'spec' in built ? built : null;

  // The change point preview follows the form: method, parameters, normalisation and the chosen run and series.
  useEffect(() => {
    if (!spec || !previewFile) return;
    const mine = extra.find((e) => e.name === previewFile);
    const source: LabSource = mine ? mine.source : { url: datasetUrl(FINGERPRINT_FOLDER + previewFile) };
    // The wait before a preview counts as work for the idle hook: a test that changes the run and waits for idle
    // must not be told idle in the 120 ms before the preview is even asked for.
    testHooks.beginWork();
    let pending = true;
    const settle = () => {
      if (pending) testHooks.endWork();
      pending = false;
    };
    const t = setTimeout(() => {
      void loadPreview(source, spec.spec, previewCounter);
      settle();
    }, 120);
    return () => {
      clearTimeout(t);
      settle();
    };
  }, [spec, previewFile, previewCounter, loadPreview, extra]);

  const results = state.status === 'done' ? state.results : null;
  useEffect(() => {
    testHooks.setLabResults('fingerprint', results ? () => results : null);
    return () => testHooks.setLabResults('fingerprint', null);
  }, [results]);

  const run = () => spec && void start(spec.spec, spec.sources);
  const parsedSpec = useMemo(() => (spec ? FingerprintSpec.parse(spec.spec) : null), [spec]);
  const { urlProblem, loadedFrom, fileProblem, loadFile } = useLabUrlSpec({
    ready: index !== null || problem !== null,
    drop: { target: dropTarget, add: addFiles },
    apply: (json) => {
      if (!index) return 'the shipped fingerprint runs are not available here';
      let parsed: FingerprintSpec;
      try {
        parsed = parseFingerprintSpec(json);
      } catch (e) {
        return e instanceof Error ? e.message : String(e);
      }
      const loaded = fromSpec(parsed, index);
      if ('error' in loaded) return loaded.error;
      setSettings(loaded.settings);
      setRoles(loaded.roles);
      setKept(loaded.kept);
      return null;
    },
    spec: parsedSpec,
    canRun: !!spec && state.status !== 'running',
    run: useCallback(() => spec && void start(spec.spec, spec.sources), [spec, start]),
  });
  const sourcesUsed = settings.sources.map((s) => SOURCE_NAMES[s]).join(', ');

  return (
    <div className="fp-lab" data-testid="fingerprint-lab">
      <section className="card">
        <h2>Fingerprint lab</h2>
        <p className="muted small">
          Which workload is running, from its telemetry alone (CWD): each series is cut into phases at its change points (Bayesian online change point
          detection or PELT), every phase is summarised (mean, median, variance, ADF statistic, 10th / 90th percentiles, share of the run) into a fingerprint,
          fingerprints are compared by DTW or Euclidean distance, thresholds from the distances between runs of the same workload say whether a run is known,
          and gradient-boosted trees classify runs beside a nearest-fingerprint classifier and the majority class.
        </p>
        <p className="small" data-testid="fingerprint-sources-note">
          Hardware counters (cycles, instructions, cache and TLB misses, which CWD used) are not available on the VM that recorded the shipped data: perf
          there counts only software events. The fingerprints here use: {sourcesUsed || 'nothing (choose a source)'}.
        </p>
        {index ? <p className="muted small" data-testid="fingerprint-how">{index.how}</p> : null}
      </section>
      {problem ? (
        <div className="notice" role="status" data-testid="fingerprint-datasets-problem">
          {problem}
        </div>
      ) : null}

      <section className="card">
        <h3>Workloads</h3>
        <table className="fp-table" data-testid="fingerprint-workloads">
          <thead>
            <tr>
              <th>workload</th>
              <th>role</th>
              <th>what it runs</th>
            </tr>
          </thead>
          <tbody>
            {extra.map((e, i) => (
              <tr key={e.name} data-testid="fingerprint-extra-run">
                <td>
                  <input
                    value={e.workload}
                    size={10}
                    aria-label={`workload of ${e.name}`}
                    onChange={(ev) => setExtra((prev) => prev.map((x, k) => (k === i ? { ...x, workload: ev.target.value } : x)))}
                  />
                </td>
                <td>
                  <select value={e.role} aria-label={`role of ${e.name}`} onChange={(ev) => setExtra((prev) => prev.map((x, k) => (k === i ? { ...x, role: ev.target.value as 'known' | 'unknown' } : x)))}>
                    <option value="known">known (trained on)</option>
                    <option value="unknown">unknown (held out)</option>
                  </select>
                </td>
                <td className="muted small">
                  {e.name} (yours){' '}
                  <button type="button" className="small" onClick={() => setExtra((prev) => prev.filter((_, k) => k !== i))}>
                    remove
                  </button>
                </td>
              </tr>
            ))}
            {(index?.workloads ?? []).map((w) => (
              <tr key={w.id}>
                <td>{w.id}</td>
                <td>
                  <select value={roles[w.id] ?? 'off'} onChange={(e) => setRoles((r) => ({ ...r, [w.id]: e.target.value as Role }))} data-testid={`fingerprint-role-${w.id}`} aria-label={`role of ${w.id}`}>
                    <option value="known">known (trained on)</option>
                    <option value="unknown">unknown (held out)</option>
                    <option value="off">not used</option>
                  </select>
                </td>
                <td className="muted small">{w.title}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">
          Drop bundles or captures (a <code>.tlab</code>, a PerfSpect or <code>perf stat -x</code> CSV) on the window, or{' '}
          <button type="button" className="small" onClick={() => fileInput.current?.click()} data-testid="fingerprint-add-files">
            add files…
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            data-testid="fingerprint-file-input"
            onChange={(e) => {
              addFiles(Array.from(e.target.files ?? []));
              e.target.value = '';
            }}
          />{' '}
          to fingerprint your own runs beside the shipped ones; name their workload to train on them, or leave them unknown.
        </p>
        <OverviewBundleOffer
          lab="fingerprint"
          bundle={overviewBundle}
          anyOf={['samples', 'counters']}
          needs="usage, PSI or counter series (a samples or counters table)"
          added={extra.some((e) => 'bundleId' in e.source && e.source.bundleId === overviewBundle?.bundleId)}
          disabled={state.status === 'running'}
          onUse={addOpen}
        />
        <div className="fp-form">
          <label>
            runs per workload <input value={settings.runs} onChange={(e) => set('runs', e.target.value)} size={3} data-testid="fingerprint-runs" />
          </label>
          <fieldset>
            <legend>sources</legend>
            {SOURCE_FAMILIES.map((f) => (
              <label key={f}>
                <input
                  type="checkbox"
                  checked={settings.sources.includes(f)}
                  onChange={(e) => set('sources', e.target.checked ? [...settings.sources, f] : settings.sources.filter((x) => x !== f))}
                  data-testid={`fingerprint-source-${f}`}
                />{' '}
                {SOURCE_NAMES[f]}
              </label>
            ))}
          </fieldset>
          <label>
            change points{' '}
            <select value={settings.method} onChange={(e) => set('method', e.target.value as Settings['method'])} data-testid="fingerprint-method">
              <option value="bocpd">Bayesian online (Adams &amp; MacKay)</option>
              <option value="pelt">PELT</option>
            </select>
          </label>
          {settings.method === 'bocpd' ? (
            <label>
              expected phase length λ <input value={settings.lambda} onChange={(e) => set('lambda', e.target.value)} size={4} data-testid="fingerprint-lambda" />
            </label>
          ) : (
            <>
              <label>
                cost{' '}
                <select value={settings.cost} onChange={(e) => set('cost', e.target.value as Settings['cost'])} data-testid="fingerprint-cost">
                  <option value="l2">L2 (mean)</option>
                  <option value="rbf">RBF (distribution)</option>
                </select>
              </label>
              <label>
                penalty <input value={settings.penalty} onChange={(e) => set('penalty', e.target.value)} size={4} data-testid="fingerprint-penalty" />
              </label>
            </>
          )}
          <label>
            shortest phase <input value={settings.minSegment} onChange={(e) => set('minSegment', e.target.value)} size={3} data-testid="fingerprint-min-segment" />
          </label>
          <label>
            phases <input value={settings.maxPhases} onChange={(e) => set('maxPhases', e.target.value)} size={3} data-testid="fingerprint-phases" />
          </label>
          <label>
            normalisation{' '}
            <select value={settings.normalisation} onChange={(e) => set('normalisation', e.target.value as Settings['normalisation'])} data-testid="fingerprint-normalisation">
              <option value="log">sign·log(1 + |x|) (keeps the level)</option>
              <option value="cwd">CWD: |x − μ| / σ per run</option>
              <option value="zscore">z-score per run</option>
              <option value="none">none</option>
            </select>
          </label>
          <label>
            distance{' '}
            <select value={settings.distance} onChange={(e) => set('distance', e.target.value as Settings['distance'])} data-testid="fingerprint-distance">
              <option value="dtw">DTW (L1 local cost, banded)</option>
              <option value="euclidean">Euclidean</option>
            </select>
          </label>
          <label>
            band <input value={settings.band} onChange={(e) => set('band', e.target.value)} size={3} data-testid="fingerprint-band" />
          </label>
          <label>
            threshold k <input value={settings.thresholdK} onChange={(e) => set('thresholdK', e.target.value)} size={3} data-testid="fingerprint-k" />
          </label>
          <label>
            GBT rounds <input value={settings.rounds} onChange={(e) => set('rounds', e.target.value)} size={4} data-testid="fingerprint-rounds" />
          </label>
          <label>
            seed <input value={settings.seed} onChange={(e) => set('seed', e.target.value)} size={4} data-testid="fingerprint-seed" />
          </label>
          <label>
            <input type="checkbox" checked={settings.leaveOneRunOut} onChange={(e) => set('leaveOneRunOut', e.target.checked)} data-testid="fingerprint-loro" /> leave-one-run-out too
          </label>
        </div>
        {urlProblem ? (
          <p className="error-text small" role="alert" data-testid="fingerprint-url-spec-error">
            {urlProblem}
          </p>
        ) : null}
        {'error' in built ? (
          <p className="error-text small" role="alert" data-testid="fingerprint-spec-error">
            {built.error}
          </p>
        ) : null}
      </section>

      <section className="card">
        <h3>Change points</h3>
        <div className="fp-form">
          <label>
            run{' '}
            <select value={previewFile} onChange={(e) => setPreviewFile(e.target.value)} data-testid="fingerprint-preview-run">
              {(index?.bundles ?? []).map((b) => (
                <option key={b.file} value={b.file}>
                  {b.file}
                </option>
              ))}
              {extra.map((e) => (
                <option key={e.name} value={e.name}>
                  {e.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            series{' '}
            <select value={preview.status === 'ready' ? preview.preview.counter : (previewCounter ?? '')} onChange={(e) => setPreviewCounter(e.target.value)} data-testid="fingerprint-preview-series">
              {(preview.status === 'ready' ? preview.preview.counters : []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <span className="muted small" data-testid="fingerprint-preview-status" data-status={preview.status} data-change-points={preview.status === 'ready' ? preview.preview.changePoints.join(',') : ''}>
            {preview.status === 'ready'
              ? `${preview.preview.changePoints.length} change points in ${preview.preview.tS.length} samples (${preview.preview.ms.toFixed(1)} ms)`
              : preview.status === 'failed'
                ? preview.message
                : preview.status === 'loading'
                  ? 'computing…'
                  : ''}
          </span>
        </div>
        {preview.status === 'ready' ? <ChangePointChart p={preview.preview} theme={theme} /> : null}
      </section>

      <div className="card fp-run-line">
        <button type="button" className="primary" disabled={!spec || state.status === 'running'} onClick={run} data-testid="fingerprint-run">
          Run
        </button>
        <button type="button" className="small" disabled={!spec} onClick={() => spec && download(jsonBlob(spec.spec), 'fingerprint-spec.json')} data-testid="fingerprint-export-spec" title="The spec as JSON: save it in public/datasets/fingerprint/ and `npx tlab run` it">
          Spec JSON
        </button>
        <LoadSpecButton lab="fingerprint" disabled={state.status === 'running'} onFile={(f) => void loadFile(f)} problem={fileProblem} loaded={loadedFrom} />
        <button type="button" className="small" disabled={!results} onClick={() => results && download(jsonBlob(results), 'fingerprint-results.json')} data-testid="fingerprint-export-results">
          Results JSON
        </button>
        <span className="muted small" data-testid="fingerprint-run-status" data-status={state.status}>
          {state.status === 'running'
            ? `${Math.round((state.progress?.fraction ?? 0) * 100)}% ${state.progress?.message ?? 'starting'}`
            : state.status === 'done'
              ? Number.isFinite(state.seconds)
                ? `done in ${state.seconds.toFixed(1)} s (in a worker)`
                : 'reopened from the run history'
              : spec
                ? `${spec.sources.length} runs`
                : ''}
        </span>
      </div>
      <RunHistory lab="fingerprint" results={results} spec={results?.spec ?? null} backend={null} disabled={state.status === 'running'} onOpen={(run) => show(run.results as FingerprintResults)} />
      {state.status === 'failed' ? (
        <div className="card error-panel" role="alert" data-testid="fingerprint-run-failed">
          {state.message}
        </div>
      ) : null}
      {results ? <Results r={results} theme={theme} confusionSplit={confusionSplit} setConfusionSplit={setConfusionSplit} /> : null}
    </div>
  );
}

function ChangePointChart({ p, theme }: { p: import('../../../workers/fingerprint-lab/protocol.ts').ChangePointPreview; theme: Theme }) {
  const option = useMemo(
    () => ({
      animation: false,
      grid: { left: 50, right: 50, top: 30, bottom: 30 },
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      xAxis: { type: 'value', name: 's', min: 0, max: p.tS[p.tS.length - 1] ?? 1 },
      yAxis: [{ type: 'value', name: 'raw', scale: true }, { type: 'value', name: 'normalised', scale: true }],
      series: [
        { name: 'raw', type: 'line', showSymbol: false, data: p.tS.map((t, i) => [t, p.raw[i]]) },
        {
          name: 'normalised',
          type: 'line',
          yAxisIndex: 1,
          showSymbol: false,
          lineStyle: { type: 'dashed' },
          data: p.tS.map((t, i) => [t, p.normalised[i]]),
          markLine: { symbol: 'none', label: { show: false }, lineStyle: { color: '#d62728', type: 'dotted', width: 2 }, data: p.changePoints.map((c) => ({ xAxis: p.tS[c] })) },
        },
      ],
    }),
    [p],
  );
  const name = p.counters.find((c) => c.id === p.counter)?.name ?? p.counter;
  return (
    <ChartCard
      id="fingerprint-changepoints"
      title={`${name}: change points`}
      subtitle="the series as recorded and as normalised for the fingerprint; red dotted lines at the starts of new phases"
      option={option}
      theme={theme}
      height={260}
      summary={`${p.changePoints.length} change points at samples ${p.changePoints.join(', ') || 'none'}`}
    />
  );
}

function Results({ r, theme, confusionSplit, setConfusionSplit }: { r: FingerprintResults; theme: Theme; confusionSplit: number; setConfusionSplit: (i: number) => void }) {
  const names = r.runs.map((x) => x.path.replace(/\.tlab$/, ''));
  const D = r.spec.distance.kind === 'dtw' ? r.distances.dtw : r.distances.euclidean;
  const order = r.clusterOrder;
  const heat = useMemo(() => {
    let max = 0;
    const data: [number, number, number][] = [];
    order.forEach((i, a) =>
      order.forEach((j, b) => {
        const v = D[i]![j]!;
        max = Math.max(max, v);
        data.push([a, b, Number(v.toFixed(3))]);
      }),
    );
    return {
      animation: false,
      tooltip: { position: 'top' },
      grid: { left: 110, right: 20, top: 10, bottom: 100 },
      xAxis: { type: 'category', data: order.map((i) => names[i]), axisLabel: { rotate: 90, fontSize: 8 } },
      yAxis: { type: 'category', data: order.map((i) => names[i]), axisLabel: { fontSize: 8 } },
      visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80, show: true },
      series: [{ name: 'distance', type: 'heatmap', data }],
    };
  }, [D, order, names]);
  const ev = r.evaluations[Math.min(confusionSplit, r.evaluations.length - 1)]!;
  const conf = ev.models.find((m) => m.model === 'gbt')!.scores.confusion;
  const confOption = useMemo(() => {
    const data: [number, number, number][] = [];
    let max = 0;
    conf.forEach((row, t) =>
      row.forEach((v, p) => {
        data.push([p, t, v]);
        max = Math.max(max, v);
      }),
    );
    return {
      animation: false,
      tooltip: { position: 'top' },
      grid: { left: 90, right: 20, top: 10, bottom: 80 },
      xAxis: { type: 'category', name: 'predicted', data: r.classes, axisLabel: { rotate: 45 } },
      yAxis: { type: 'category', name: 'true', data: r.classes },
      visualMap: { min: 0, max: Math.max(1, max), orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80 },
      series: [{ name: 'runs', type: 'heatmap', data, label: { show: true } }],
    };
  }, [conf, r.classes]);
  const unknownNames = [...new Set(r.runs.filter((x) => x.role === 'unknown').map((x) => x.workload))];
  const d = r.detection;
  return (
    <>
      <section className="card" data-testid="fingerprint-classification">
        <h3>Case study 1: classifying known workloads</h3>
        <p className="muted small">
          {r.counters.length} series × {r.spec.maxPhases} phases × 7 statistics = {r.featureCount} features per run; {r.classes.length} known workloads. CWD&apos;s
          Table II reports GBT precision 0.95, recall 0.93, F1 0.93 and 93 % accuracy on its 70/30 split (6 workloads × 10 runs, 72 hardware and software
          counters). Leave-one-run-out trains on every other run: the 70/30 split&apos;s few test runs make its accuracy coarse.
        </p>
        <table className="fp-table" data-testid="fingerprint-scores">
          <thead>
            <tr>
              <th>split</th>
              <th>model</th>
              <th>precision</th>
              <th>recall</th>
              <th>F1</th>
              <th>accuracy</th>
              <th>test runs</th>
            </tr>
          </thead>
          <tbody>
            {r.evaluations.flatMap((e) =>
              e.models.map((m) => (
                <tr key={e.split + m.model} data-testid="fingerprint-score-row" data-split={e.split} data-model={m.model} data-accuracy={m.scores.accuracy}>
                  <td>{e.split}</td>
                  <td>{m.model === 'gbt' ? 'gradient-boosted trees' : m.model === 'nearest' ? 'nearest fingerprint' : 'majority class'}</td>
                  <td>{m.scores.precision.toFixed(2)}</td>
                  <td>{m.scores.recall.toFixed(2)}</td>
                  <td>{m.scores.f1.toFixed(2)}</td>
                  <td>{pct(m.scores.accuracy)}</td>
                  <td>{e.testRuns}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
        <label className="small">
          confusion matrix of the GBT on{' '}
          <select value={confusionSplit} onChange={(e) => setConfusionSplit(Number(e.target.value))} data-testid="fingerprint-confusion-split">
            {r.evaluations.map((e, i) => (
              <option key={e.split} value={i}>
                {e.split}
              </option>
            ))}
          </select>
        </label>
        <ChartCard id="fingerprint-confusion" title={`GBT confusion matrix (${ev.split})`} subtitle="rows: true workload, columns: predicted" option={confOption} theme={theme} height={300} />
      </section>

      <section className="card" data-testid="fingerprint-unknown">
        <h3>Case study 2: unknown workloads</h3>
        {r.resemblance.length ? (
          <>
            <p className="muted small">
              CWD Table III: the GBT trained on every run of the known workloads puts each run of an unknown workload ({unknownNames.join(', ')}) into the
              known class it resembles; the share of runs per class. The nearest fingerprint&apos;s choice is beside it.
            </p>
            <table className="fp-table" data-testid="fingerprint-resemblance">
              <thead>
                <tr>
                  <th>unknown</th>
                  {r.classes.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                  <th>nearest fingerprint (most often)</th>
                </tr>
              </thead>
              <tbody>
                {r.resemblance.map((x) => {
                  const top = Object.entries(x.nearest).sort((a, b) => b[1] - a[1])[0]!;
                  return (
                    <tr key={x.workload} data-testid="fingerprint-resemblance-row" data-workload={x.workload}>
                      <td>{x.workload}</td>
                      {r.classes.map((c) => (
                        <td key={c}>{pct(x.gbt[c] ?? 0)}</td>
                      ))}
                      <td>
                        {top[0]} {pct(top[1])}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        ) : (
          <p className="muted small">Mark a workload unknown to see what it resembles.</p>
        )}
        <p className="small" data-testid="fingerprint-detection">
          Known or unknown ({r.spec.distance.kind}, thresholds = mean + {r.spec.thresholdK}·std of the distances between the 70/30 training runs of each
          workload): known test runs accepted {d.knownAccepted}/{d.knownTotal} (nearest workload right {d.knownNearestCorrect}/{d.knownTotal}); unknown runs
          rejected {d.unknownRejected}/{d.unknownTotal}.
        </p>
        <table className="fp-table" data-testid="fingerprint-known-unknown">
          <thead>
            <tr>
              <th>run</th>
              <th>role</th>
              <th>nearest known workload</th>
              <th>distance</th>
              <th>its threshold</th>
              <th>decision</th>
            </tr>
          </thead>
          <tbody>
            {r.knownUnknown.map((k) => (
              <tr key={k.run} data-testid="fingerprint-known-row" data-correct={String(k.correct)} className={k.correct ? '' : 'fp-wrong'}>
                <td>{names[k.run]}</td>
                <td>{k.role}</td>
                <td>{k.nearest}</td>
                <td>{k.distance.toFixed(2)}</td>
                <td>{k.threshold.toFixed(2)}</td>
                <td>{k.known ? `known: ${k.nearest}` : 'unknown'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {r.partial ? (
          <p className="small muted" data-testid="fingerprint-partial">
            Partial runs: the first {pct(r.partial.share)} of each 70/30 test run, matched to the training runs by subsequence DTW (the shorter phase sequence may
            sit anywhere in the longer one): nearest right {pct(r.partial.accuracy)}, against {pct(r.partial.fullAccuracy)} for whole runs (n = {r.partial.n}).
          </p>
        ) : null}
      </section>

      <section className="card">
        <h3>Case study 3: similarity</h3>
        <ChartCard
          id="fingerprint-similarity"
          title={`${r.spec.distance.kind === 'dtw' ? 'DTW' : 'Euclidean'} distance between runs`}
          subtitle="runs in average-linkage cluster order: runs of one workload should form dark blocks on the diagonal"
          option={heat}
          theme={theme}
          height={520}
        />
        <table className="fp-table" data-testid="fingerprint-similarity-table">
          <thead>
            <tr>
              <th>workload</th>
              <th>DTW mean</th>
              <th>DTW std</th>
              <th>ED mean</th>
              <th>ED std</th>
            </tr>
          </thead>
          <tbody>
            {r.similarityTable.map((t) => (
              <tr key={t.workload}>
                <td>{t.workload}</td>
                <td>{t.dtw.mean.toFixed(2)}</td>
                <td>{t.dtw.std.toFixed(2)}</td>
                <td>{t.euclidean.mean.toFixed(2)}</td>
                <td>{t.euclidean.std.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">CWD Table IV: mean and standard deviation of the distances between runs of the same workload (all runs here).</p>
      </section>
    </>
  );
}
