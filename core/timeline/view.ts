import { lodSlices, type LodSlices, type SliceTrack } from './lod.ts';

/** What the canvas draws for one track: LOD entries plus, per entry, what hovering it tells (of its first slice). */
export interface TrackView extends LodSlices {
  /** A number per entry for the tooltip: the wake-up latency (s) of a task run, the true duration (s) of a call. */
  readonly value: Float64Array;
  /** A label code per entry for the tooltip: the state a run ended in, a call's errno (index into `labels`); -1 none. */
  readonly code: Int32Array;
}

/** The whole canvas for one span: small, typed arrays only, cheap to send from the worker. */
export interface TimelineView {
  readonly from: number;
  readonly to: number;
  readonly widthPx: number;
  readonly tracks: readonly TrackView[];
  /** Real slices in the span (merged ones counted one by one). */
  readonly slices: number;
}

/** Labels and colour keys shared by every view of one timeline (sent once). */
export interface TimelineInfo {
  readonly kind: 'sched' | 'syscalls';
  readonly trackLabels: readonly string[];
  /** Colour key names: "comm pid" for tasks, the syscall name for calls. */
  readonly keyLabels: readonly string[];
  /** For tasks: the pid of each key (stable colours per pid/comm); for calls: -1. */
  readonly keyPids: readonly number[];
  /** What `code` indexes: run end states, or errno names. */
  readonly codeLabels: readonly string[];
  readonly minS: number;
  readonly maxS: number;
  readonly slices: number;
  readonly hasWakeups: boolean;
  /** Worker time spent building the tracks (ms), set by the worker that built them. */
  readonly buildMs?: number;
}

export interface DetailTrack extends SliceTrack {
  readonly value: Float64Array;
  readonly code: Int32Array;
}

/** Seconds per pixel below which a span is not zoomed further: 1 ns per pixel, the tables' resolution. */
export const MIN_PX_S = 1e-9;

export function timelineView(tracks: readonly DetailTrack[], from: number, to: number, widthPx: number): TimelineView {
  const width = Math.max(1, Math.round(widthPx));
  const pxS = Math.max((to - from) / width, MIN_PX_S);
  let slices = 0;
  const views = tracks.map((tr): TrackView => {
    const lod = lodSlices(tr, from, to, pxS);
    const value = new Float64Array(lod.first.length);
    const code = new Int32Array(lod.first.length);
    for (let k = 0; k < lod.first.length; k++) {
      value[k] = tr.value[lod.first[k]!]!;
      code[k] = tr.code[lod.first[k]!]!;
      slices += lod.count[k]!;
    }
    return { ...lod, value, code };
  });
  return { from, to, widthPx: width, tracks: views, slices };
}
