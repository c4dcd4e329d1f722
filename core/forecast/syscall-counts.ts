import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import type { Bundle } from '../bundle/reader.ts';
import { intervalOf, type IntervalGrid } from './align.ts';
import type { SeriesFrame } from './series.ts';

/**
 * Calls per syscall name per interval: the "sentence" of each interval in the seed paper's terms, as a bag of
 * words. The embedding lab turns a row into a vector (mean of embeddings weighted by these counts, or TF-IDF).
 * `counts` is row-major [intervals × names]; names are ordered by total count (most frequent first), then by
 * name, and only names called at least once inside the grid are listed.
 */
export interface SyscallCounts {
  readonly names: string[];
  readonly counts: Float32Array;
}

/**
 * Counts of the bundle's calls on a frame's intervals. A call belongs to the interval (end − length, end] that
 * holds its entry time; calls outside every interval (before the first tick, after the last) are not counted.
 * Only rows of kind "syscall" count: signals, exits and kills are not calls.
 */
export function syscallCountsPerInterval(bundle: Bundle, frame: Pick<SeriesFrame, 'tNs' | 'intervalNs'>): SyscallCounts {
  const table = bundle.tables.syscalls;
  if (!table) return { names: [], counts: new Float32Array(0) };
  return syscallCountsOnGrid(table, { endNs: frame.tNs, lengthNs: frame.intervalNs });
}

export function syscallCountsOnGrid(syscalls: Table, grid: IntervalGrid): SyscallCounts {
  const kind = dictColumn(syscalls, 'kind');
  const name = dictColumn(syscalls, 'name');
  const ts = numberColumn(syscalls, 'ts_ns');
  const syscallCode = kind.values.indexOf('syscall');
  const n = grid.endNs.length;
  const codes = name.values.length;
  const byCode = new Float64Array(n * codes);
  const totals = new Float64Array(codes);
  if (syscallCode >= 0) {
    for (let r = 0; r < syscalls.numRows; r++) {
      if (kind.codes[r] !== syscallCode) continue;
      const c = name.codes[r]!;
      if (c < 0) continue;
      const i = intervalOf(grid, ts[r]!);
      if (i < 0) continue;
      byCode[i * codes + c]!++;
      totals[c]!++;
    }
  }
  const order = [...name.values.keys()].filter((c) => totals[c]! > 0).sort((a, b) => totals[b]! - totals[a]! || (name.values[a]! < name.values[b]! ? -1 : 1));
  const names = order.map((c) => name.values[c]!);
  const counts = new Float32Array(n * names.length);
  for (let i = 0; i < n; i++) order.forEach((c, k) => (counts[i * names.length + k] = byCode[i * codes + c]!));
  return { names, counts };
}
