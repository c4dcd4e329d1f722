import type { Bundle } from '../../core/bundle/index.ts';
import {
  schedDetailTracks,
  schedInfo,
  schedTimeline,
  syscallInfo,
  syscallLatency,
  syscallTracks,
  timelineView,
  type DetailTrack,
  type SyscallLatency,
  type TimelineInfo,
  type TimelineView,
} from '../../core/timeline/index.ts';

export type TimelineKind = 'sched' | 'syscalls';

/** What the timeline views ask the worker that holds the bundle's tables. */
export interface TimelineApi {
  /** Labels, colour keys and extent of a timeline; null when the bundle has no such data. */
  timelineInfo(kind: TimelineKind): Promise<TimelineInfo | null>;
  /** The slices of [from, to] (s since the workload start) for a canvas `widthPx` wide, merged below a pixel. */
  timelineView(kind: TimelineKind, from: number, to: number, widthPx: number): Promise<TimelineView>;
  /** Per-name latency of the strace -T calls; null when no call has a duration. */
  syscallLatency(): Promise<SyscallLatency | null>;
}

interface Built {
  info: TimelineInfo;
  tracks: DetailTrack[];
}

/**
 * Slices are built once per bundle and timeline, on first use (the default demo's 400k switches take about a
 * second), then every zoom and pan only walks the visible span. Keyed by the bundle object, so a newly opened
 * bundle never sees the old one's slices.
 */
export function createTimelines(current: () => Bundle | null): TimelineApi {
  const cache = new WeakMap<Bundle, Map<string, Built | SyscallLatency | null>>();
  const cached = <T>(key: string, make: (b: Bundle) => T): T => {
    const b = current();
    if (!b) throw new Error('no bundle is loaded');
    let m = cache.get(b);
    if (!m) cache.set(b, (m = new Map()));
    if (!m.has(key)) m.set(key, make(b) as Built | SyscallLatency | null);
    return m.get(key) as T;
  };
  const built = (kind: TimelineKind): Built | null =>
    cached(kind, (b): Built | null => {
      const startNs = b.manifest.workload.startNs;
      const t0 = performance.now();
      if (kind === 'sched') {
        if (!b.tables.sched || b.tables.sched.numRows === 0) return null;
        const tl = schedTimeline(b.tables.sched, startNs);
        return tl.switches > 0 ? { info: { ...schedInfo(tl), buildMs: performance.now() - t0 }, tracks: schedDetailTracks(tl) } : null;
      }
      if (!b.tables.syscalls || b.tables.syscalls.numRows === 0) return null;
      const st = syscallTracks(b.tables.syscalls, startNs);
      return st.calls > 0 ? { info: { ...syscallInfo(st), buildMs: performance.now() - t0 }, tracks: [...st.tracks] } : null;
    });
  return {
    async timelineInfo(kind) {
      return built(kind)?.info ?? null;
    },
    async timelineView(kind, from, to, widthPx) {
      const b = built(kind);
      if (!b) throw new Error(`the bundle has no ${kind} timeline`);
      return timelineView(b.tracks, from, to, widthPx);
    },
    async syscallLatency() {
      return cached('latency', (b) => {
        const t = b.tables.syscalls;
        if (!t || t.numRows === 0) return null;
        const lat = syscallLatency(t, b.manifest.workload.startNs);
        return lat.timed > 0 ? lat : null;
      });
    },
  };
}
