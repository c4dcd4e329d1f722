import { completeBundle, type Bundle } from '../../core/bundle/index.ts';
import {
  schedDetailTracks,
  schedInfo,
  schedTimelineSteps,
  syscallInfo,
  syscallLatency,
  syscallTracks,
  timelineView,
  type DetailTrack,
  type SyscallLatency,
  type TimelineInfo,
  type TimelineView,
} from '../../core/timeline/index.ts';
import { yieldToEvents } from './yield.ts';

export type TimelineKind = 'sched' | 'syscalls';

/** What the timeline views ask the worker that holds the bundle's tables. */
export interface TimelineApi {
  /**
   * Labels, colour keys and extent of a timeline; null when the bundle has no such data. The first call builds
   * the slices in steps (other requests are answered between them); `onProgress` hears the share built (0..1).
   */
  timelineInfo(kind: TimelineKind, onProgress?: (fraction: number) => void): Promise<TimelineInfo | null>;
  /**
   * The slices of [from, to] (s since the workload start) for a canvas `widthPx` wide, merged below a pixel;
   * null when a newer request for the same timeline arrived before this one was started (superseded).
   */
  timelineView(kind: TimelineKind, from: number, to: number, widthPx: number): Promise<TimelineView | null>;
  /** Per-name latency of the strace -T calls; null when no call has a duration. */
  syscallLatency(): Promise<SyscallLatency | null>;
}

interface Built {
  info: TimelineInfo;
  tracks: DetailTrack[];
}

/**
 * Slices are built once per bundle and timeline, on first use, in steps that yield to the worker's event loop
 * (the default demo's 400k switches took 1-5 s in one piece, during which no zoom was answered), then every
 * zoom and pan only walks the visible span. Keyed by the bundle object, so a newly opened bundle never sees
 * the old one's slices; a build already under way is shared by every caller.
 */
export function createTimelines(current: () => Bundle | null): TimelineApi {
  const cache = new WeakMap<Bundle, Map<string, Promise<Built | SyscallLatency | null>>>();
  const listeners = new Map<string, Set<(f: number) => void>>();
  const latestView = new Map<TimelineKind, number>();
  let tickets = 0;
  // `make` gets the bundle with every column (the overview's may hold only its own), and the one that is open.
  const cached = <T>(key: string, make: (b: Bundle, open: Bundle) => Promise<T>): Promise<T> => {
    const b = current();
    if (!b) return Promise.reject(new Error('no bundle is loaded'));
    let m = cache.get(b);
    if (!m) cache.set(b, (m = new Map()));
    if (!m.has(key)) m.set(key, completeBundle(b).then((whole) => make(whole, b)) as Promise<Built | SyscallLatency | null>);
    return m.get(key) as Promise<T>;
  };
  const built = (kind: TimelineKind): Promise<Built | null> =>
    cached(kind, async (b, open): Promise<Built | null> => {
      const startNs = b.manifest.workload.startNs;
      const t0 = performance.now();
      if (kind === 'sched') {
        if (!b.tables.sched || b.tables.sched.numRows === 0) return null;
        const steps = schedTimelineSteps(b.tables.sched, startNs);
        let r = steps.next();
        while (!r.done) {
          for (const l of listeners.get(kind) ?? []) l(r.value);
          await yieldToEvents();
          // A bundle opened meanwhile makes this build pointless: stop walking (its promise is dropped with the bundle).
          if (current() !== open) throw new Error('another bundle was opened');
          r = steps.next();
        }
        const tl = r.value;
        return tl.switches > 0 ? { info: { ...schedInfo(tl), buildMs: performance.now() - t0 }, tracks: schedDetailTracks(tl) } : null;
      }
      if (!b.tables.syscalls || b.tables.syscalls.numRows === 0) return null;
      const st = syscallTracks(b.tables.syscalls, startNs);
      return st.calls > 0 ? { info: { ...syscallInfo(st), buildMs: performance.now() - t0 }, tracks: [...st.tracks] } : null;
    });
  return {
    async timelineInfo(kind, onProgress) {
      let set = listeners.get(kind);
      if (!set) listeners.set(kind, (set = new Set()));
      if (onProgress) set.add(onProgress);
      try {
        return (await built(kind))?.info ?? null;
      } finally {
        if (onProgress) set.delete(onProgress);
      }
    },
    async timelineView(kind, from, to, widthPx) {
      const ticket = ++tickets;
      latestView.set(kind, ticket);
      const b = await built(kind);
      if (!b) throw new Error(`the bundle has no ${kind} timeline`);
      // Let requests already queued behind this one register: only the newest of a burst is worked out.
      await yieldToEvents();
      if (latestView.get(kind) !== ticket) return null;
      return timelineView(b.tracks, from, to, widthPx);
    },
    async syscallLatency() {
      return cached('latency', async (b) => {
        const t = b.tables.syscalls;
        if (!t || t.numRows === 0) return null;
        const lat = syscallLatency(t, b.manifest.workload.startNs);
        return lat.timed > 0 ? lat : null;
      });
    },
  };
}
