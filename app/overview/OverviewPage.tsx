import { useCallback, useEffect, useMemo, useRef, useState, type ComponentProps } from 'react';
import type { Overview, Series, TimeWindow } from '../../core/overview/types.ts';
import type { TableName } from '../../core/bundle/tables.ts';
import type { LoadedBundle } from '../../workers/bundle-loader/protocol.ts';
import { ChartCard, type ZoomPercent } from '../charts/ChartCard.tsx';
import { testHooks } from '../testing/test-hooks.ts';
import { lineOption, rankedBarsOption, stackedBarsOption, type TimeDomain } from '../charts/options.ts';
import { zoomTimeCharts } from '../charts/echarts-setup.ts';
import type { Theme } from '../theme.ts';
import { ManifestSummary } from './ManifestSummary.tsx';
import { TablesPanel } from './TablesPanel.tsx';
import { formatCount, formatSpan } from './format.ts';
import { KeyFigures } from './KeyFigures.tsx';
import { CounterTotalsCard } from './CounterTotals.tsx';
import { counterChartId, missingText, seriesSummary, sourceWhy, splitByUnit, unitWords, type Missing } from './overview-sections.ts';
import type { TimelineApi } from '../../workers/bundle-loader/timeline.ts';
import { SchedTimelineSection } from './timeline/SchedTimelineSection.tsx';
import { SyscallLatencySection } from './syscalls/SyscallLatencySection.tsx';

function timeDomain(o: Overview): TimeDomain {
  let min = 0;
  let max = o.durationS;
  const all: Series[] = [...o.usage.cpu, ...o.psi, ...o.counters, ...(o.sched?.busy ?? [])];
  for (const s of all) {
    if (s.x.length) {
      min = Math.min(min, s.x[0]!);
      max = Math.max(max, s.x[s.x.length - 1]!);
    }
  }
  return { min, max: max > min ? max : min + 1 };
}

interface Props {
  bundle: LoadedBundle;
  theme: Theme;
  csv: (table: TableName) => Promise<Blob>;
  tablePage: ComponentProps<typeof TablesPanel>['page'];
  perfettoTrace: () => Promise<Blob>;
  zoom: (window: TimeWindow | null) => Promise<Overview | null>;
  bundleFile: () => Promise<Blob>;
  /** The canvas timelines and syscall latency (issue 13), from the same worker; omitted, they are not shown. */
  timelines?: TimelineApi;
  /** Opens the same capture again with another of its traces (KernelOracle CSV). */
  onPickTrace?: (trace: string) => void;
}

interface TraceChoice {
  id: string;
  rows: number;
}

/** The traces of a capture that holds several (a KernelOracle CSV), and the one shown; null otherwise. */
function traceChoices(bundle: LoadedBundle): { traces: TraceChoice[]; current: string } | null {
  const settings = bundle.manifest.sources.sched?.settings as { traces?: TraceChoice[]; trace?: string } | undefined;
  if (!settings?.traces || settings.traces.length < 2 || !settings.trace) return null;
  return { traces: settings.traces, current: settings.trace };
}

function ImportedNotice({ bundle, bundleFile, onPickTrace }: { bundle: LoadedBundle; bundleFile: () => Promise<Blob>; onPickTrace?: (trace: string) => void }) {
  const imp = bundle.imported;
  if (!imp) return null;
  const choice = onPickTrace ? traceChoices(bundle) : null;
  const save = async () => {
    const url = URL.createObjectURL(await bundleFile());
    const a = document.createElement('a');
    a.href = url;
    a.download = `${bundle.name.replace(/\.[^.]*$/, '')}.tlab`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="notice" role="status" data-testid="imported-notice">
      {/* A binary trace.dat counts ring-buffer records where text captures count lines. */}
      Imported from a <strong>{imp.format}</strong> capture: {formatCount(imp.lines)} {imp.format === 'trace-dat' ? 'records' : 'lines'}
      {imp.problemCount ? `, ${formatCount(imp.problemCount)} of them could not be parsed (see the source notes)` : ''}.{' '}
      {choice ? (
        <label>
          Trace{' '}
          <select data-testid="trace-select" value={choice.current} onChange={(e) => onPickTrace!(e.target.value)}>
            {choice.traces.map((t) => (
              <option key={t.id} value={t.id}>
                {t.id} ({formatCount(t.rows)} switches)
              </option>
            ))}
          </select>{' '}
        </label>
      ) : null}
      <button type="button" className="small" onClick={() => void save()} data-testid="save-bundle">
        Save as .tlab
      </button>
    </div>
  );
}

/**
 * Zooming asks the worker for the zoomed span at full detail (the first view is downsampled over the whole
 * recording). Connected charts all report the same zoom, so requests are debounced and only the newest counts.
 */
function useZoomDetail(domain: { min: number; max: number }, zoom: Props['zoom'], overview: Overview) {
  const [detail, setDetail] = useState<Overview | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const request = useRef(0);
  const lastKey = useRef('0:100');
  // The zoomed span now shown, asked again when the bundle behind the page grows (a partial replaced by the
  // whole bundle): else the zoom made on the partial keeps the partial's detail, without the tables that came since.
  const shownWindow = useRef<TimeWindow | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  // The span asked for, in seconds, and whether its detail has the sched part, so a test can tell a detail made
  // from a partial bundle and compute the same window's detail in Node.
  const detailNow = useRef(detail);
  detailNow.current = detail;
  useEffect(() => {
    testHooks.setView('zoom-window', () => shownWindow.current);
    testHooks.setView('zoom-detail', () => (detailNow.current ? { sched: detailNow.current.sched !== null } : null));
    return () => {
      testHooks.setView('zoom-window', null);
      testHooks.setView('zoom-detail', null);
    };
  }, []);
  /** Asks for `window` at full detail (null: the whole recording, the coarse view); only the newest ask counts. */
  const show = useCallback(
    (window: TimeWindow | null): Promise<void> => {
      const id = ++request.current;
      shownWindow.current = window;
      return (window ? zoom(window) : Promise.resolve(null))
        .then((o) => {
          // null for a window: the worker answered a newer zoom instead, which will set the detail.
          if (id === request.current && (o || !window)) setDetail(o);
        })
        .catch(() => {
          // The coarse view stays; zoom detail is a refinement, not something to fail over.
        });
    },
    [zoom],
  );
  const drawnOverview = useRef(overview);
  useEffect(() => {
    if (overview === drawnOverview.current) return;
    drawnOverview.current = overview;
    if (!shownWindow.current) return;
    testHooks.beginWork();
    void show(shownWindow.current).finally(() => testHooks.endWork());
  }, [overview, show]);
  const onZoom = useCallback(
    ({ start, end }: ZoomPercent) => {
      const key = `${start.toFixed(3)}:${end.toFixed(3)}`;
      if (key === lastKey.current) return;
      lastKey.current = key;
      if (timer.current) clearTimeout(timer.current);
      testHooks.beginWork();
      timer.current = setTimeout(() => {
        const span = domain.max - domain.min;
        const whole = start <= 0.01 && end >= 99.99;
        void show(whole ? null : { from: domain.min + (start / 100) * span, to: domain.min + (end / 100) * span }).finally(() => testHooks.endWork());
      }, 200);
    },
    [domain, show],
  );
  return { detail, onZoom };
}

/**
 * The per-CPU timeline follows the charts' zoom, and the charts follow the timeline's: a span chosen on the
 * canvas is sent to the charts (debounced, as wheel and drag send many), and the zoom that comes back from the
 * charts is then not sent to the canvas again (a chart cannot zoom below its own minimum span, and would pull
 * the canvas back out of a single switch).
 */
function useLinkedTimeline(domain: { min: number; max: number }) {
  const [follow, setFollow] = useState<TimeWindow | null>(null);
  const fromCanvas = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (!timer.current) return;
      clearTimeout(timer.current);
      testHooks.endWork();
    },
    [],
  );
  const onChartZoom = useCallback(
    ({ start, end }: ZoomPercent) => {
      if (performance.now() - fromCanvas.current < 800) return;
      const span = domain.max - domain.min;
      setFollow({ from: domain.min + (start / 100) * span, to: domain.min + (end / 100) * span });
    },
    [domain],
  );
  const onCanvasSpan = useCallback(
    (s: TimeWindow) => {
      fromCanvas.current = performance.now();
      // The charts' zoom is pending work: the idle hook waits for it (e2e tests read the charts after it).
      if (timer.current) clearTimeout(timer.current);
      else testHooks.beginWork();
      timer.current = setTimeout(() => {
        timer.current = null;
        testHooks.endWork();
        const span = domain.max - domain.min;
        const pct = (x: number) => Math.max(0, Math.min(100, ((x - domain.min) / span) * 100));
        fromCanvas.current = performance.now();
        zoomTimeCharts(pct(s.from), pct(s.to));
      }, 250);
    },
    [domain],
  );
  return { follow, onChartZoom, onCanvasSpan };
}

export function OverviewPage({ bundle, theme, csv, tablePage, zoom, bundleFile, perfettoTrace, timelines, onPickTrace }: Props) {
  const o = bundle.overview;
  const domain = useMemo(() => timeDomain(o), [o]);
  const { detail, onZoom: onZoomDetail } = useZoomDetail(domain, zoom, o);
  const { follow, onChartZoom, onCanvasSpan } = useLinkedTimeline(domain);
  const onZoom = useCallback(
    (z: ZoomPercent) => {
      onZoomDetail(z);
      onChartZoom(z);
    },
    [onZoomDetail, onChartZoom],
  );
  const zoomed = useMemo(() => {
    if (!detail) return null;
    const series = (opt: object) => (opt as { series?: unknown[] }).series;
    return {
      cpu: series(lineOption(detail.usage.cpu, domain, 'cores')),
      memory: series(lineOption(detail.usage.memory, domain, 'MiB')),
      io: series(lineOption(detail.usage.io, domain, 'MiB/s', { area: true })),
      psi: series(lineOption(detail.psi, domain, '% stalled')),
      counters: splitByUnit(detail.counters).map((g) => series(lineOption(g.series, domain, g.unit))),
      syscallTime: detail.syscalls ? series(stackedBarsOption(detail.syscalls.overTime, domain, '')) : undefined,
      syscallTop: detail.syscalls ? rankedBarsOption(detail.syscalls.top.map((s) => ({ label: s.name, value: s.count })), 'calls') : null,
      schedBusy: detail.sched ? series(lineOption(detail.sched.busy, domain, '% busy', { max: 100 })) : undefined,
      schedSwitches: detail.sched ? series(stackedBarsOption(detail.sched.switchesPerCpu, domain, '')) : undefined,
      syscallTotal: detail.syscalls?.total ?? 0,
    };
  }, [detail, domain]);
  const options = useMemo(
    () => ({
      cpu: lineOption(o.usage.cpu, domain, 'cores'),
      memory: lineOption(o.usage.memory, domain, 'MiB'),
      io: lineOption(o.usage.io, domain, 'MiB/s', { area: true }),
      psi: lineOption(o.psi, domain, '% stalled'),
      counters: splitByUnit(o.counters).map((g) => ({ ...g, option: lineOption(g.series, domain, g.unit) })),
      syscallTop: o.syscalls ? rankedBarsOption(o.syscalls.top.map((s) => ({ label: s.name, value: s.count })), 'calls') : null,
      syscallTime: o.syscalls ? stackedBarsOption(o.syscalls.overTime, domain, `calls per ${formatSpan(o.syscalls.overTime.bucketS)}`) : null,
      schedBusy: o.sched ? lineOption(o.sched.busy, domain, '% busy', { max: 100 }) : null,
      schedSwitches: o.sched ? stackedBarsOption(o.sched.switchesPerCpu, domain, `switches per ${formatSpan(o.sched.switchesPerCpu.bucketS)}`) : null,
    }),
    [o, domain],
  );

  // What is drawn decides the layout: a part with no data is one entry in the "not in this bundle" line.
  const missing: Missing[] = [];
  // A partial bundle (its large tables still being decoded): what is pending is coming, not missing.
  const pending = new Set((bundle.pending ?? []).map((p) => p.name));
  const hasUsage = o.usage.cpu.length > 0;
  // An I/O chart of zeros says nothing a line of text cannot (no bytes read or written, or /proc/PID/io unreadable).
  const hasIo = o.usage.io.some((s) => s.y.some((v) => v > 0));
  if (!hasUsage && !pending.has('samples')) missing.push({ what: 'resource usage', why: sourceWhy(bundle, 'proc') });
  else if (!hasIo) missing.push({ what: 'storage I/O', why: 'every read/write byte count is zero or unreadable' });
  const totals = o.counterTotals ?? [];
  const countersRecorded = bundle.tables.some((t) => t.name === 'counters' && t.rows > 0);
  if (!o.psi.length && !pending.has('psi')) missing.push({ what: 'pressure (PSI)', why: sourceWhy(bundle, 'psi') });
  if (!o.counters.length && !totals.length && !pending.has('counters')) {
    missing.push({ what: 'counters', why: countersRecorded ? 'perf counted no value in any interval (<not counted>)' : sourceWhy(bundle, 'perf') });
  }
  if (!o.syscalls && !pending.has('syscalls')) missing.push({ what: 'system calls', why: sourceWhy(bundle, 'strace') });
  if (!o.sched && !pending.has('sched')) missing.push({ what: 'scheduling', why: sourceWhy(bundle, 'sched') });
  const straceTimes = (bundle.manifest.sources.strace?.settings as { timestamps?: string } | undefined)?.timestamps;
  // Calls with no time (strace without -t/-tt/-ttt/-r) or all at one instant cannot be placed over time.
  const callsTimed = o.durationS > 0 && straceTimes !== 'none';
  const cpuSummary = seriesSummary(o.usage.cpu, 'cores');

  return (
    <div className="overview" data-testid="overview">
      <header className="overview-head">
        <h2 data-testid="workload-label">{bundle.manifest.workload.label}</h2>
        <p className="muted small">
          {bundle.name} · {bundle.manifest.workload.command ? <code>{bundle.manifest.workload.command.join(' ')}</code> : 'attached or imported'}
        </p>
      </header>
      <ImportedNotice bundle={bundle} bundleFile={bundleFile} onPickTrace={onPickTrace} />
      {bundle.warnings.length && !bundle.imported ? (
        <div className="notice" role="status">
          {bundle.warnings.map((w, i) => (
            <div key={i}>{w}</div>
          ))}
        </div>
      ) : null}
      <KeyFigures overview={o} />
      {bundle.pending?.length ? (
        <p className="muted small" role="status" data-testid="pending-tables">
          Still decoding {bundle.pending.map((p) => `${p.name} (${formatCount(p.rows)} rows)`).join(', ')}: their charts follow.
        </p>
      ) : null}
      {missing.length ? (
        <p className="missing-sources muted small" data-testid="missing-sources">
          <strong>Not in this bundle:</strong> {missingText(missing)}
        </p>
      ) : null}
      {hasUsage ? (
        <>
          <h2 className="section-title">Resource usage</h2>
          <div className="grid">
            <ChartCard
              id="usage-cpu"
              detailSeries={zoomed?.cpu}
              onZoom={onZoom}
              title="CPU"
              subtitle="group, system and the busiest processes; system includes the recorder's own cost (sampler, and strace, perf and tracing when recorded)"
              option={options.cpu}
              theme={theme}
              timeAxis
              summary={cpuSummary}
            />
            <ChartCard id="usage-memory" detailSeries={zoomed?.memory} onZoom={onZoom} title="Memory (RSS)" option={options.memory} theme={theme} timeAxis summary={seriesSummary(o.usage.memory, 'MiB')} />
            {hasIo ? (
              <ChartCard id="usage-io" detailSeries={zoomed?.io} onZoom={onZoom} title="Storage I/O of the group" option={options.io} theme={theme} timeAxis summary={seriesSummary(o.usage.io, 'MiB/s')} />
            ) : null}
          </div>
        </>
      ) : null}
      {o.psi.length || options.counters.length || totals.length ? (
        <>
          <h2 className="section-title">Pressure and counters</h2>
          <div className="grid">
            {o.psi.length ? (
              <ChartCard id="psi" detailSeries={zoomed?.psi} onZoom={onZoom} title="Pressure stall (PSI)" subtitle="share of each interval with stalled tasks" option={options.psi} theme={theme} timeAxis summary={seriesSummary(o.psi, '%')} />
            ) : null}
            {options.counters.map((g, k) => (
              <ChartCard
                key={g.unit}
                id={counterChartId(g.unit, k)}
                detailSeries={zoomed?.counters[k]}
                onZoom={onZoom}
                title={options.counters.length > 1 ? `Counters ${unitWords(g.unit)}` : 'Counters'}
                subtitle={`each interval's count, ${unitWords(g.unit)}`}
                option={g.option}
                theme={theme}
                timeAxis
                summary={seriesSummary(g.series, g.unit)}
              />
            ))}
          </div>
          {totals.length ? <CounterTotalsCard totals={totals} /> : null}
        </>
      ) : null}
      {o.syscalls && options.syscallTop && options.syscallTime ? (
        <>
          <h2 className="section-title">System calls</h2>
          <div className="grid">
            <ChartCard
              id="syscalls-top"
              title={
                zoomed ? `Top system calls (${formatCount(zoomed.syscallTotal)} in the zoomed span)` : `Top system calls (${formatCount(o.syscalls.total)} in all)`
              }
              option={zoomed?.syscallTop ?? options.syscallTop}
              theme={theme}
              height={300}
              summary={o.syscalls.top.slice(0, 5).map((s) => `${s.name} ${formatCount(s.count)}`).join(', ')}
            />
            {callsTimed ? (
              <ChartCard id="syscalls-time" detailSeries={zoomed?.syscallTime} onZoom={onZoom} title="System calls over time" option={options.syscallTime} theme={theme} timeAxis height={300} summary={`${formatCount(o.syscalls.total)} calls in buckets of ${formatSpan(o.syscalls.overTime.bucketS)}, stacked by name`} />
            ) : (
              <section className="card" data-testid="syscalls-untimed">
                <h3>System calls over time</h3>
                <p className="muted small">
                  {straceTimes === 'none'
                    ? 'This log has no timestamps (strace ran without -t, -tt, -ttt or -r), so calls are counted by name but cannot be placed in time.'
                    : `Every call has the same timestamp (strace ${straceTimes ? `-${straceTimes}` : ''} resolution), so there is no span to chart them over.`}
                </p>
              </section>
            )}
          </div>
        </>
      ) : null}
      {timelines && o.syscalls ? <SyscallLatencySection api={timelines} theme={theme} /> : null}
      {o.sched && options.schedBusy && options.schedSwitches ? (
        <>
          <h2 className="section-title">Scheduling</h2>
          <div className="grid">
            <ChartCard id="sched-busy" detailSeries={zoomed?.schedBusy} onZoom={onZoom} title="CPU busy (from sched_switch)" option={options.schedBusy} theme={theme} timeAxis summary={seriesSummary(o.sched.busy, '% busy')} />
            <ChartCard id="sched-switches" detailSeries={zoomed?.schedSwitches} onZoom={onZoom} title="Context switches per CPU" option={options.schedSwitches} theme={theme} timeAxis summary={`${formatCount(o.sched.total)} scheduler events; switches per CPU in buckets of ${formatSpan(o.sched.switchesPerCpu.bucketS)}`} />
          </div>
        </>
      ) : null}
      {timelines && o.sched ? <SchedTimelineSection api={timelines} follow={follow} onSpan={onCanvasSpan} /> : null}
      <h2 className="section-title">Data</h2>
      <TablesPanel tables={bundle.tables} bundleName={bundle.name} csv={csv} perfettoTrace={perfettoTrace} page={tablePage} />
      <details className="card source-details" data-testid="source-details">
        <summary>
          Source details: {Object.entries(bundle.manifest.sources).map(([n, s]) => `${n} ${s?.status ?? ''}`).join(', ') || 'none'}; host, command, settings
        </summary>
        <ManifestSummary manifest={bundle.manifest} fileName={bundle.name} bytes={bundle.bytes} />
      </details>
    </div>
  );
}
