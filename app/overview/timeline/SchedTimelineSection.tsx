import { useCallback, useEffect, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import type { TimelineInfo, TimelineView } from '../../../core/timeline/view.ts';
import type { TimelineApi } from '../../../workers/bundle-loader/timeline.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import { TimelineCanvas } from './TimelineCanvas.tsx';
import { formatDuration, formatTick } from './time-format.ts';
import { useNearViewport } from './useNearViewport.ts';

/** prev_state letters in words (the kernel's task states; "+" marks a preempted, still runnable task). */
const STATE_WORDS: Record<string, string> = {
  R: 'runnable (preempted)',
  'R+': 'runnable (preempted)',
  S: 'sleeping',
  D: 'uninterruptible sleep (usually I/O)',
  T: 'stopped',
  t: 'traced',
  X: 'dead',
  Z: 'zombie',
  P: 'parked',
  I: 'idle kernel thread',
};

export function describeRun(info: TimelineInfo, view: TimelineView, k: number, j: number): string[] {
  const tr = view.tracks[k]!;
  const start = tr.start[j]!;
  const end = tr.end[j]!;
  const step = Math.max(end - start, 1e-9) / 10;
  const name = info.keyLabels[tr.key[j]!] ?? '';
  const pid = info.keyPids[tr.key[j]!] ?? 0;
  const comm = name.endsWith(` ${pid}`) ? name.slice(0, -` ${pid}`.length) : name;
  if (tr.count[j]! > 1) {
    return [`${tr.count[j]} runs under a pixel, merged: zoom in to see each`, `longest: ${comm} (pid ${pid})`, `${formatTick(start, step)} – ${formatTick(end, step)}`];
  }
  const state = tr.code[j]! >= 0 ? info.codeLabels[tr.code[j]!]! : null;
  const wake = tr.value[j]!;
  return [
    `${comm} (pid ${pid}) on ${info.trackLabels[k]}`,
    `ran ${formatDuration(end - start)} from ${formatTick(start, step)}`,
    state ? `then switched out ${state} — ${STATE_WORDS[state] ?? STATE_WORDS[state.replace('+', '')] ?? 'state as recorded'}` : 'switched out (state not recorded)',
    info.hasWakeups
      ? Number.isNaN(wake)
        ? 'no wake-up before this run (it was preempted, or woke before the trace began)'
        : `wake-up latency ${formatDuration(wake)} (sched_wakeup to switch-in)`
      : 'this trace has no sched_wakeup events, so no wake-up latency',
  ];
}

/** The per-CPU timeline: shown when the bundle's sched table has switches (the worker says so). */
interface SectionProps {
  api: TimelineApi;
  /** The overview charts' zoom, which the canvas follows. */
  follow?: { from: number; to: number } | null;
  /** A span chosen on the canvas, for the charts to follow. */
  onSpan?: (span: { from: number; to: number }) => void;
}

export function SchedTimelineSection({ api, follow = null, onSpan }: SectionProps) {
  const [info, setInfo] = useState<TimelineInfo | null | undefined>(undefined);
  const [built, setBuilt] = useState(0);
  const card = useRef<HTMLElement>(null);
  const near = useNearViewport(card);
  useEffect(() => {
    if (!near) return;
    let live = true;
    testHooks.beginWork();
    api
      .timelineInfo(
        'sched',
        Comlink.proxy((f: number) => live && setBuilt(f)),
      )
      .then((i) => live && setInfo(i))
      .catch(() => live && setInfo(null))
      .finally(() => testHooks.endWork());
    return () => {
      live = false;
    };
  }, [api, near]);
  const fetchView = useCallback((from: number, to: number, w: number) => api.timelineView('sched', from, to, w), [api]);
  const describe = useCallback((v: TimelineView, k: number, j: number) => (info ? describeRun(info, v, k, j) : []), [info]);
  // No switches at all (only other sched events): nothing to draw, so no card.
  if (info === null) return null;
  return (
    <section className="card" data-testid="sched-timeline-card" ref={card}>
      <h3>Per-CPU timeline</h3>
      {info === undefined ? (
        near ? (
        <p className="muted small">
          Building the per-CPU slices… <progress max={1} value={built} aria-label="Per-CPU slices built" data-testid="sched-timeline-progress" /> {Math.round(built * 100)}%
        </p>
      ) : (
        <p className="muted small">The per-CPU slices are built when this part of the page is in view.</p>
      )
      ) : (
        <>
          <p className="muted small">
            A track per CPU, a slice per task run (from its switch-in to the next switch on that CPU), coloured by task. Wheel or pinch to zoom,
            drag to pan; hover a slice for its task, how it ended and its wake-up latency. {info.slices.toLocaleString('en')} runs; runs under a
            pixel are merged (paler) until you zoom in.
          </p>
          <TimelineCanvas id="sched-timeline" label="Per-CPU scheduler timeline" info={info} fetchView={fetchView} describe={describe} trackHeight={30} follow={follow} onSpan={onSpan} />
        </>
      )}
    </section>
  );
}
