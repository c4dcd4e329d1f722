import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SyscallLatency } from '../../../core/timeline/syscall-latency.ts';
import type { TimelineInfo, TimelineView } from '../../../core/timeline/view.ts';
import type { TimelineApi } from '../../../workers/bundle-loader/timeline.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { testHooks } from '../../testing/test-hooks.ts';
import type { Theme } from '../../theme.ts';
import { TimelineCanvas } from '../timeline/TimelineCanvas.tsx';
import { formatDuration, formatTick } from '../timeline/time-format.ts';
import { latencyHistogramOption } from './latency-chart.ts';
import { ViewTabs } from './ViewTabs.tsx';
import { useNearViewport } from '../timeline/useNearViewport.ts';

type Tab = 'latency' | 'slowest' | 'threads';
const TABS = [
  { id: 'latency', label: 'Latency by call' },
  { id: 'slowest', label: 'Slowest calls' },
  { id: 'threads', label: 'Per-thread timeline' },
] as const;

const us = (ns: number) => formatDuration(ns / 1e9);

function describeCall(info: TimelineInfo, view: TimelineView, k: number, j: number): string[] {
  const tr = view.tracks[k]!;
  const name = info.keyLabels[tr.key[j]!] ?? '';
  const start = tr.start[j]!;
  if (tr.count[j]! > 1) {
    return [`${tr.count[j]} calls under a pixel, merged: zoom in to see each`, `longest: ${name}`, `${info.trackLabels[k]}`];
  }
  const errno = tr.code[j]! >= 0 ? info.codeLabels[tr.code[j]!] : null;
  return [`${name} on ${info.trackLabels[k]}`, `entered at ${formatTick(start, Math.max(tr.value[j]!, 1e-9) / 10)}`, `took ${formatDuration(tr.value[j]!)}`, errno ? `failed: ${errno}` : 'succeeded'];
}

/** In words, for screen readers and the section's caption: what was slowest and what was most frequent. */
function latencySummary(lat: SyscallLatency): string {
  const byP99 = [...lat.rows].filter((r) => r.count >= 10).sort((a, b) => b.p99 - a.p99).slice(0, 3);
  const most = lat.rows.slice(0, 3);
  return (
    `${lat.timed.toLocaleString('en')} timed calls of ${lat.rows.length} kinds` +
    (lat.untimed ? ` (${lat.untimed.toLocaleString('en')} without a duration)` : '') +
    `. Most frequent: ${most.map((r) => `${r.name} ${r.count.toLocaleString('en')} calls, median ${us(r.p50)}`).join('; ')}.` +
    (byP99.length ? ` Slowest at p99 (10+ calls): ${byP99.map((r) => `${r.name} ${us(r.p99)}`).join('; ')}.` : '') +
    (lat.slowest[0] ? ` Slowest call: ${lat.slowest[0].name} on thread ${lat.slowest[0].tid}, ${us(lat.slowest[0].durationNs)} at ${lat.slowest[0].tsS.toFixed(3)} s.` : '')
  );
}

/** Latency of strace -T calls: percentiles and a histogram per name, the slowest calls, a timeline per thread. */
export function SyscallLatencySection({ api, theme }: { api: TimelineApi; theme: Theme }) {
  const [lat, setLat] = useState<SyscallLatency | null | undefined>(undefined);
  const box = useRef<HTMLElement>(null);
  const near = useNearViewport(box);
  const [info, setInfo] = useState<TimelineInfo | null>(null);
  const [tab, setTab] = useState<Tab>('latency');
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => {
    if (!near) return;
    let live = true;
    testHooks.beginWork();
    Promise.all([api.syscallLatency(), api.timelineInfo('syscalls')])
      .then(([l, i]) => {
        if (!live) return;
        setLat(l);
        setInfo(i);
      })
      .catch(() => live && setLat(null))
      .finally(() => testHooks.endWork());
    return () => {
      live = false;
    };
  }, [api, near]);
  const fetchView = useCallback((from: number, to: number, w: number) => api.timelineView('syscalls', from, to, w), [api]);
  const describe = useCallback((v: TimelineView, k: number, j: number) => (info ? describeCall(info, v, k, j) : []), [info]);
  const row = lat ? (lat.rows.find((r) => r.name === picked) ?? lat.rows[0]) : undefined;
  const histogram = useMemo(() => (row && lat ? latencyHistogramOption(row, lat.edgesNs) : null), [row, lat]);
  return (
    <>
      <h2 className="section-title">System call latency</h2>
      <section className="card" data-testid="syscall-latency" ref={box}>
        {lat === undefined ? (
          <p className="muted small">{near ? 'Computing latency per call…' : 'Latency per call is computed when this part of the page is in view.'}</p>
        ) : lat === null ? (
          <p className="muted small">No call in this bundle has a duration (strace ran without -T), so there is no latency to show.</p>
        ) : (
          <>
            <p className="muted small">{latencySummary(lat)} Durations are strace -T's time in the kernel; strace itself slows each call down.</p>
            <ViewTabs tabs={TABS} value={tab} onChange={setTab} label="System call latency views">
              {tab === 'latency' ? (
                <div className="grid">
                  <section className="card latency-table">
                    <table className="data" aria-label="Latency per system call (nearest-rank percentiles)">
                      <thead>
                        <tr>
                          <th scope="col">call</th>
                          <th scope="col" className="num">calls</th>
                          <th scope="col" className="num">failed</th>
                          <th scope="col" className="num">p50</th>
                          <th scope="col" className="num">p90</th>
                          <th scope="col" className="num">p99</th>
                          <th scope="col" className="num">max</th>
                          <th scope="col" className="num">total</th>
                        </tr>
                      </thead>
                      <tbody>
                        {lat.rows.map((r) => (
                          <tr key={r.name} data-testid="latency-row" data-name={r.name} aria-selected={r === row}>
                            <th scope="row">
                              <button type="button" className="link" aria-pressed={r === row} onClick={() => setPicked(r.name)} aria-label={`Histogram of ${r.name}`}>
                                {r.name}
                              </button>
                            </th>
                            <td className="num" data-v={r.count}>{r.count.toLocaleString('en')}</td>
                            <td className="num" data-v={r.errors}>{r.errors.toLocaleString('en')}</td>
                            <td className="num" data-ns={r.p50}>{us(r.p50)}</td>
                            <td className="num" data-ns={r.p90}>{us(r.p90)}</td>
                            <td className="num" data-ns={r.p99}>{us(r.p99)}</td>
                            <td className="num" data-ns={r.max}>{us(r.max)}</td>
                            <td className="num" data-ns={r.totalNs}>{us(r.totalNs)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </section>
                  {row && histogram ? (
                    <ChartCard
                      id="syscall-latency-histogram"
                      title={`${row.name}: ${row.count.toLocaleString('en')} calls by duration`}
                      subtitle={`p50 ${us(row.p50)} · p90 ${us(row.p90)} · p99 ${us(row.p99)} · max ${us(row.max)}; bins are 4 per decade`}
                      option={histogram}
                      theme={theme}
                      height={300}
                    />
                  ) : null}
                </div>
              ) : null}
              {tab === 'slowest' ? (
                <div className="latency-table">
                  <table className="data" aria-label={`The ${lat.slowest.length} slowest system calls`} data-testid="slowest-calls">
                    <thead>
                      <tr>
                        <th scope="col" className="num">entered</th>
                        <th scope="col">call</th>
                        <th scope="col" className="num">thread</th>
                        <th scope="col" className="num">process</th>
                        <th scope="col" className="num">took</th>
                        <th scope="col">error</th>
                      </tr>
                    </thead>
                    <tbody>
                      {lat.slowest.map((c, i) => (
                        <tr key={i}>
                          <td className="num">{c.tsS.toFixed(6)} s</td>
                          <th scope="row">{c.name}</th>
                          <td className="num">{c.tid}</td>
                          <td className="num">{c.pid}</td>
                          <td className="num" data-ns={c.durationNs}>{us(c.durationNs)}</td>
                          <td>{c.errno ?? ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
              {tab === 'threads' ? (
                info ? (
                  <>
                    <p className="muted small">
                      A track per thread, a slice per call from entry to return, coloured by call. {info.slices.toLocaleString('en')} timed calls on{' '}
                      {info.trackLabels.length} threads.
                    </p>
                    <div className="timeline-scroll">
                      <TimelineCanvas id="syscall-timeline" label="Per-thread system call timeline" info={info} fetchView={fetchView} describe={describe} trackHeight={16} />
                    </div>
                  </>
                ) : (
                  <p className="muted">No call has a duration to draw.</p>
                )
              ) : null}
            </ViewTabs>
          </>
        )}
      </section>
    </>
  );
}
