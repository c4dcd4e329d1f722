import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TimelineInfo, TimelineView } from '../../../core/timeline/view.ts';
import { testHooks } from '../../testing/test-hooks.ts';
import { keyColour } from './colours.ts';
import { formatDuration, formatTick, tickStep } from './time-format.ts';
import { viewSummary } from './summary.ts';
import './timeline.css';

const AXIS_H = 22;

export interface TimelineCanvasProps {
  /** Test hook id (window.__tlab.viewData(id)) and data-testid. */
  id: string;
  /** What the view is, for screen readers and the buttons' names. */
  label: string;
  info: TimelineInfo;
  /**
   * The worker's slices for a span at a width; the canvas draws the latest answer re-projected while it waits.
   * null: the worker answered a newer request instead (this one was superseded), so the canvas asks again.
   */
  fetchView: (from: number, to: number, widthPx: number) => Promise<TimelineView | null>;
  /** Tooltip lines for entry j of track k of a view. */
  describe: (view: TimelineView, k: number, j: number) => string[];
  trackHeight?: number;
  /**
   * A span set from outside (the overview charts' zoom): the canvas moves there when it changes. A new object
   * each time, so zooming the charts back to the same span moves the canvas again.
   */
  follow?: { from: number; to: number } | null;
  /** Told the span the person chose on the canvas itself (zoom, pan), not the ones `follow` set. */
  onSpan?: (span: { from: number; to: number }) => void;
}

interface Span {
  from: number;
  to: number;
}

/** Index of the entry of a track drawn under time t (within `slack` seconds), or -1. */
function entryAt(view: TimelineView, k: number, t: number, slack: number): number {
  const tr = view.tracks[k];
  if (!tr) return -1;
  let lo = 0;
  let hi = tr.end.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tr.end[mid]! + slack >= t) hi = mid;
    else lo = mid + 1;
  }
  return lo < tr.start.length && tr.start[lo]! - slack <= t ? lo : -1;
}

/**
 * A canvas of slice tracks (a CPU's task runs, a thread's system calls) with zoom (wheel, pinch, buttons, + and -)
 * and pan (drag, arrows). Data comes from the worker for the visible span at the canvas's width, already merged
 * below a pixel, so a frame draws at most a few entries per pixel per track whatever the bundle's size.
 */
export function TimelineCanvas({ id, label, info, fetchView, describe, trackHeight = 26, follow = null, onSpan }: TimelineCanvasProps) {
  const wrap = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const full = useMemo<Span>(() => ({ from: info.minS, to: info.maxS > info.minS ? info.maxS : info.minS + 1e-3 }), [info]);
  const span = useRef<Span>(full);
  const [shown, setShown] = useState<Span>(full);
  const view = useRef<TimelineView | null>(null);
  const [summaryView, setSummaryView] = useState<TimelineView | null>(null);
  const [announce, setAnnounce] = useState('');
  const width = useRef(0);
  const inflight = useRef<{ from: number; to: number; w: number } | null>(null);
  const frame = useRef(0);
  const drawMs = useRef<number[]>([]);
  const hover = useRef<{ k: number; j: number } | null>(null);
  const selected = useRef<{ k: number; j: number } | null>(null);
  const summaryId = useId();
  const liveId = useId();
  const colours = useMemo(() => info.keyLabels.map((l) => keyColour(l)), [info]);
  const labelW = () => (width.current < 600 ? 64 : 120);
  const plotW = () => Math.max(1, width.current - labelW());
  const describeRef = useRef(describe);
  describeRef.current = describe;

  const paint = useCallback(() => {
    frame.current = 0;
    const c = canvas.current;
    const w = wrap.current;
    if (!c || !w || width.current <= 0) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const cssW = width.current;
    const cssH = AXIS_H + info.trackLabels.length * trackHeight;
    if (c.width !== Math.round(cssW * dpr) || c.height !== Math.round(cssH * dpr)) {
      c.width = Math.round(cssW * dpr);
      c.height = Math.round(cssH * dpr);
      c.style.width = `${cssW}px`;
      c.style.height = `${cssH}px`;
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const style = getComputedStyle(w);
    const fg = style.color;
    const muted = style.getPropertyValue('--muted') || fg;
    const border = style.getPropertyValue('--border') || fg;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    const { from, to } = span.current;
    const lw = labelW();
    const pw = plotW();
    const scale = pw / (to - from);
    // Time axis: ticks at 1/2/5 steps, labelled with as many decimals as the step needs.
    const step = tickStep(to - from, pw / 110);
    ctx.fillStyle = muted;
    ctx.strokeStyle = border;
    ctx.lineWidth = 1;
    for (let k = Math.ceil(from / step); k * step <= to; k++) {
      const x = Math.round(lw + (k * step - from) * scale) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, AXIS_H - 4);
      ctx.lineTo(x, cssH);
      ctx.stroke();
      ctx.fillText(formatTick(k * step, step), x + 3, AXIS_H / 2);
    }
    const v = view.current;
    info.trackLabels.forEach((name, k) => {
      const y = AXIS_H + k * trackHeight;
      ctx.fillStyle = fg;
      const maxChars = Math.floor((lw - 6) / 6);
      ctx.fillText(name.length > maxChars ? `${name.slice(0, maxChars - 1)}…` : name, 4, y + trackHeight / 2);
      const tr = v?.tracks[k];
      if (!tr) return;
      ctx.save();
      ctx.beginPath();
      ctx.rect(lw, y, pw, trackHeight);
      ctx.clip();
      for (let j = 0; j < tr.start.length; j++) {
        const x0 = lw + (tr.start[j]! - from) * scale;
        const x1 = lw + (tr.end[j]! - from) * scale;
        if (x1 < lw || x0 > cssW) continue;
        // Every run stays visible: at least one pixel wide, however short.
        const ww = Math.max(x1 - x0, 1);
        ctx.fillStyle = colours[tr.key[j]!] ?? fg;
        ctx.globalAlpha = tr.count[j]! > 1 ? 0.75 : 1;
        ctx.fillRect(x0, y + 2, ww, trackHeight - 4);
        if (tr.count[j] === 1 && ww > 40) {
          ctx.globalAlpha = 1;
          ctx.fillStyle = '#111';
          const text = info.keyLabels[tr.key[j]!] ?? '';
          const fit = Math.floor((ww - 6) / 6);
          ctx.fillText(text.length > fit ? text.slice(0, Math.max(fit, 0)) : text, Math.max(x0, lw) + 3, y + trackHeight / 2);
        }
      }
      ctx.globalAlpha = 1;
      for (const mark of [hover.current, selected.current]) {
        if (!mark || mark.k !== k || mark.j >= tr.start.length) continue;
        const x0 = lw + (tr.start[mark.j]! - from) * scale;
        const x1 = lw + (tr.end[mark.j]! - from) * scale;
        ctx.strokeStyle = fg;
        ctx.lineWidth = 2;
        ctx.strokeRect(x0, y + 1, Math.max(x1 - x0, 1), trackHeight - 2);
      }
      ctx.restore();
    });
    drawMs.current.push(performance.now() - t0);
    if (drawMs.current.length > 200) drawMs.current.shift();
  }, [info, trackHeight, colours]);

  const draw = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(paint);
  }, [paint]);

  // One request at a time; when it returns and the span moved meanwhile, ask again for where it is now.
  const request = useCallback(() => {
    if (inflight.current || width.current <= 0) return;
    const want = { ...span.current, w: plotW() };
    inflight.current = want;
    testHooks.beginWork();
    let superseded = false;
    fetchView(want.from, want.to, want.w)
      .then((v) => {
        if (!v) {
          superseded = true;
          return;
        }
        view.current = v;
        hover.current = null;
        setSummaryView(v);
        draw();
      })
      .catch(() => {
        // The last view stays drawn; a failed refinement is not worth an error on the page.
      })
      .finally(() => {
        inflight.current = null;
        const now = span.current;
        if (superseded || now.from !== want.from || now.to !== want.to || plotW() !== want.w) request();
        testHooks.endWork();
      });
  }, [fetchView, draw]);

  const following = useRef(false);
  const onSpanRef = useRef(onSpan);
  onSpanRef.current = onSpan;
  const setSpan = useCallback(
    (from: number, to: number) => {
      const extent = full.to - full.from;
      // Down to 1 ns per pixel (the tables' resolution), up to the whole recording.
      const len = Math.min(Math.max(to - from, plotW() * 1e-9), extent);
      // Clamped lengths keep their centre; then the span is kept inside the recording.
      const f0 = to - from === len ? from : (from + to) / 2 - len / 2;
      const f = Math.max(full.from, Math.min(f0, full.to - len));
      span.current = { from: f, to: f + len };
      setShown(span.current);
      draw();
      request();
      if (!following.current) onSpanRef.current?.(span.current);
    },
    [full, draw, request],
  );

  // The charts' zoom drives the canvas: each new `follow` span is shown (clamped like any other span).
  useEffect(() => {
    if (!follow) return;
    following.current = true;
    setSpan(follow.from, follow.to);
    following.current = false;
  }, [follow, setSpan]);

  const zoomBy = useCallback(
    (factor: number, anchor?: number) => {
      const { from, to } = span.current;
      const a = anchor ?? (from + to) / 2;
      setSpan(a - (a - from) * factor, a + (to - a) * factor);
    },
    [setSpan],
  );
  const panBy = useCallback(
    (fraction: number) => {
      const { from, to } = span.current;
      const d = (to - from) * fraction;
      setSpan(from + d, to + d);
    },
    [setSpan],
  );

  // Width from the layout; the first view is requested once the width is known.
  useEffect(() => {
    const w = wrap.current;
    if (!w) return;
    const ro = new ResizeObserver(() => {
      const next = Math.floor(w.clientWidth);
      if (next === width.current) return;
      width.current = next;
      draw();
      request();
    });
    ro.observe(w);
    return () => ro.disconnect();
  }, [draw, request]);

  // The canvas takes its text and grid colours from the theme's CSS variables: repaint when the theme flips.
  useEffect(() => {
    const mo = new MutationObserver(() => draw());
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, [draw]);

  useEffect(() => {
    testHooks.setView(id, () => {
      const v = view.current;
      return {
        span: { ...span.current },
        buildMs: info.buildMs ?? null,
        pending: inflight.current !== null,
        drawMs: [...drawMs.current],
        view: v && {
          from: v.from,
          to: v.to,
          widthPx: v.widthPx,
          slices: v.slices,
          tracks: v.tracks.map((tr, k) => ({
            label: info.trackLabels[k],
            entries: Array.from(tr.start, (start, j) => ({
              start,
              end: tr.end[j]!,
              key: info.keyLabels[tr.key[j]!],
              pid: info.keyPids[tr.key[j]!],
              count: tr.count[j]!,
              code: tr.code[j]! >= 0 ? info.codeLabels[tr.code[j]!] : null,
              value: Number.isNaN(tr.value[j]!) ? null : tr.value[j]!,
            })),
          })),
        },
      };
    });
    return () => testHooks.setView(id, null);
  }, [id, info]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling under it.
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
      const dx = e.deltaX * unit;
      const dy = e.deltaY * unit;
      if (Math.abs(dx) > Math.abs(dy) || e.shiftKey) {
        panBy((e.shiftKey ? dy || dx : dx) / plotW());
        return;
      }
      const box = c.getBoundingClientRect();
      const { from, to } = span.current;
      const x = e.clientX - box.left - labelW();
      const anchor = from + (Math.max(0, Math.min(x, plotW())) / plotW()) * (to - from);
      // Pinch arrives as ctrl+wheel with small deltas: zoom faster per unit.
      zoomBy(Math.exp(dy * (e.ctrlKey ? 0.01 : 0.002)), anchor);
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, [zoomBy, panBy]);

  // Drag to pan; two pointers pinch to zoom (touch screens).
  const pointers = useRef(new Map<number, number>());
  const gesture = useRef<{ span: Span; x: number; dist: number } | null>(null);
  const showTip = (clientX: number, clientY: number) => {
    const c = canvas.current;
    const v = view.current;
    const el = tip.current;
    if (!c || !el) return;
    const box = c.getBoundingClientRect();
    const x = clientX - box.left;
    const y = clientY - box.top;
    const k = Math.floor((y - AXIS_H) / trackHeight);
    const { from, to } = span.current;
    const t = from + ((x - labelW()) / plotW()) * (to - from);
    const j = v && x >= labelW() && k >= 0 ? entryAt(v, k, t, (to - from) / plotW()) : -1;
    const was = hover.current;
    hover.current = j >= 0 ? { k, j } : null;
    if (was?.k !== hover.current?.k || was?.j !== hover.current?.j) draw();
    if (j < 0 || !v) {
      el.hidden = true;
      return;
    }
    el.textContent = describeRef.current(v, k, j).join('\n');
    el.hidden = false;
    // Fixed to the viewport, so no scrolling or clipping ancestor cuts it off; flipped above near the bottom.
    const left = Math.min(clientX + 14, window.innerWidth - el.offsetWidth - 4);
    const below = clientY + 14;
    el.style.left = `${Math.max(0, left)}px`;
    el.style.top = `${below + el.offsetHeight > window.innerHeight ? Math.max(0, clientY - el.offsetHeight - 10) : below}px`;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const v = view.current;
    const step = (dj: number, dk: number) => {
      if (!v) return;
      const cur = selected.current ?? { k: 0, j: -1 };
      const k = Math.max(0, Math.min(v.tracks.length - 1, cur.k + dk));
      const n = v.tracks[k]?.start.length ?? 0;
      if (n === 0) return;
      const j = dk !== 0 ? Math.min(Math.max(cur.j, 0), n - 1) : Math.max(0, Math.min(n - 1, cur.j + dj));
      selected.current = { k, j };
      setAnnounce(`${info.trackLabels[k]}: ${describeRef.current(v, k, j).join('; ')}`);
      draw();
    };
    const keys: Record<string, () => void> = {
      '+': () => zoomBy(0.5),
      '=': () => zoomBy(0.5),
      '-': () => zoomBy(2),
      ArrowUp: () => zoomBy(0.5),
      ArrowDown: () => zoomBy(2),
      ArrowLeft: () => panBy(-0.2),
      ArrowRight: () => panBy(0.2),
      Home: () => setSpan(full.from, full.to),
      '.': () => step(1, 0),
      ',': () => step(-1, 0),
      ']': () => step(0, 1),
      '[': () => step(0, -1),
    };
    const f = keys[e.key];
    if (f) {
      e.preventDefault();
      f();
    }
  };

  const spanLen = shown.to - shown.from;
  return (
    <div className="timeline" data-testid={id}>
      <div className="timeline-bar" role="toolbar" aria-label={`${label} zoom`}>
        <button type="button" onClick={() => zoomBy(0.5)} aria-label={`Zoom in on ${label}`} data-testid={`${id}-zoom-in`}>
          +
        </button>
        <button type="button" onClick={() => zoomBy(2)} aria-label={`Zoom out of ${label}`} data-testid={`${id}-zoom-out`}>
          −
        </button>
        <button type="button" onClick={() => panBy(-0.25)} aria-label={`Pan ${label} earlier`}>
          ◀
        </button>
        <button type="button" onClick={() => panBy(0.25)} aria-label={`Pan ${label} later`}>
          ▶
        </button>
        <button type="button" onClick={() => setSpan(full.from, full.to)} aria-label={`Show all of ${label}`}>
          All
        </button>
        <span className="muted small" data-testid={`${id}-span`}>
          {formatTick(shown.from, spanLen / 10)} – {formatTick(shown.to, spanLen / 10)} ({formatDuration(spanLen)})
        </span>
      </div>
      <div
        ref={wrap}
        className="timeline-canvas"
        tabIndex={0}
        role="group"
        aria-label={`${label}: + and − zoom, arrows pan, Home shows all, comma and period step through slices, brackets change track`}
        aria-describedby={summaryId}
        onKeyDown={onKeyDown}
      >
        <canvas
          ref={canvas}
          role="img"
          aria-label={label}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture(e.pointerId);
            pointers.current.set(e.pointerId, e.clientX);
            const xs = [...pointers.current.values()];
            gesture.current = { span: { ...span.current }, x: xs.length === 1 ? xs[0]! : (xs[0]! + xs[1]!) / 2, dist: xs.length > 1 ? Math.abs(xs[0]! - xs[1]!) : 0 };
          }}
          onPointerMove={(e) => {
            if (!pointers.current.has(e.pointerId)) {
              showTip(e.clientX, e.clientY);
              return;
            }
            pointers.current.set(e.pointerId, e.clientX);
            const g = gesture.current;
            if (!g) return;
            const xs = [...pointers.current.values()];
            const len = g.span.to - g.span.from;
            if (xs.length > 1 && g.dist > 0) {
              const dist = Math.abs(xs[0]! - xs[1]!);
              const box = e.currentTarget.getBoundingClientRect();
              const anchor = g.span.from + ((g.x - box.left - labelW()) / plotW()) * len;
              const f = g.dist / Math.max(dist, 1);
              setSpan(anchor - (anchor - g.span.from) * f, anchor + (g.span.to - anchor) * f);
            } else {
              const d = ((xs[0]! - g.x) / plotW()) * len;
              setSpan(g.span.from - d, g.span.to - d);
            }
          }}
          onPointerUp={(e) => {
            pointers.current.delete(e.pointerId);
            gesture.current = null;
          }}
          onPointerCancel={(e) => {
            pointers.current.delete(e.pointerId);
            gesture.current = null;
          }}
          onPointerLeave={() => {
            if (tip.current) tip.current.hidden = true;
            if (hover.current) {
              hover.current = null;
              draw();
            }
          }}
        />
        <div ref={tip} className="timeline-tip" hidden role="tooltip" data-testid={`${id}-tooltip`} />
      </div>
      <p id={summaryId} className="sr-only" data-testid={`${id}-summary`}>
        {summaryView ? viewSummary(label, info, summaryView) : `${label}: loading.`}
      </p>
      <p id={liveId} className="sr-only" aria-live="polite">
        {announce}
      </p>
    </div>
  );
}
