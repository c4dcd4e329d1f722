/**
 * Level of detail for slice tracks (a CPU's task runs, a thread's system calls): what a canvas of `widthPx`
 * pixels needs to draw the span [from, to]. Slices at least a pixel wide come out as they are; runs of
 * narrower neighbours are merged into groups about one pixel wide, so the output per track is bounded by
 * the width (about two entries per pixel) however many slices the span holds, and a zoom down to single
 * slices returns exactly the slices of the span.
 */

/** One track's slices, sorted by start and not overlapping (so their ends are sorted too). */
export interface SliceTrack {
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** What colours the slice: a task, a syscall name (an index into the caller's table). */
  readonly key: Int32Array;
}

/** What one track draws: entry k covers start[k]..end[k]; count[k] = 1 means one real slice, index first[k]. */
export interface LodSlices {
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** The key of the longest slice in the entry (a merged pixel takes the colour of what ran most of it). */
  readonly key: Int32Array;
  readonly count: Int32Array;
  /** Index into the track of the entry's first slice. */
  readonly first: Int32Array;
}

/** First index whose end is after `t` (ends are sorted because slices do not overlap). */
export function firstEndingAfter(end: Float64Array, t: number): number {
  let lo = 0;
  let hi = end.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (end[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The slices of `track` that overlap [from, to], merged below one pixel (`pxS` seconds per pixel). */
export function lodSlices(track: SliceTrack, from: number, to: number, pxS: number): LodSlices {
  const n = track.start.length;
  const i0 = firstEndingAfter(track.end, from);
  // At most one entry per slice, and at most about 4 per pixel: each entry is a slice ≥ 1 px, a group ≥ 1 px
  // wide, a group followed by a gap ≥ 1 px, or a group cut short by a slice ≥ 1 px (+ the two clipped ends).
  const bound = Math.ceil(4 * ((to - from) / pxS)) + 8;
  let cap = 0;
  for (let i = i0; i < n && track.start[i]! < to && cap < bound; i++) cap++;
  const start = new Float64Array(cap);
  const end = new Float64Array(cap);
  const key = new Int32Array(cap);
  const count = new Int32Array(cap);
  const first = new Int32Array(cap);
  let m = 0;
  let open = false;
  let longest = 0;
  for (let i = i0; i < n; i++) {
    const s = track.start[i]!;
    if (s >= to) break;
    const e = track.end[i]!;
    const small = e - s < pxS;
    if (open && small && s - end[m - 1]! < pxS && end[m - 1]! - start[m - 1]! < pxS) {
      // Extend the group: it is still under a pixel and this slice starts within a pixel of it.
      end[m - 1] = e;
      count[m - 1]!++;
      if (e - s > longest) {
        longest = e - s;
        key[m - 1] = track.key[i]!;
      }
      continue;
    }
    if (m === cap) break;
    start[m] = s;
    end[m] = e;
    key[m] = track.key[i]!;
    count[m] = 1;
    first[m] = i;
    m++;
    open = small;
    longest = e - s;
  }
  return { start: start.slice(0, m), end: end.slice(0, m), key: key.slice(0, m), count: count.slice(0, m), first: first.slice(0, m) };
}
