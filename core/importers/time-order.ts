import type { Table } from 'apache-arrow';
import { TableBuilder, type Row } from '../bundle/table-builder.ts';
import type { TableName } from '../bundle/tables.ts';

/**
 * Counts events whose timestamp is earlier than the event before them. Trace text is written in time order
 * (tracefs merges the per-CPU buffers, perf sorts), so a step back means a damaged or hand-edited line.
 */
export class OrderWatch {
  count = 0;
  /** The largest step back from one event to the next, in ns. */
  largestStepNs = 0;
  /** The first line that went back, with its number, for the note. */
  firstLine: number | null = null;
  private last = Number.NEGATIVE_INFINITY;

  see(tsNs: number, lineNo: number): void {
    if (tsNs < this.last) {
      this.count++;
      this.largestStepNs = Math.max(this.largestStepNs, this.last - tsNs);
      this.firstLine ??= lineNo;
    }
    this.last = tsNs;
  }

  /** What the reader should know, or null when the times were in order. */
  note(): string | null {
    if (!this.count) return null;
    const times = this.count === 1 ? 'once' : `${this.count} times`;
    return `Timestamps go back ${times} from one line to the next (first at line ${this.firstLine}, largest step back ${(this.largestStepNs / 1e9).toFixed(6)} s): damaged lines or an edited file; rows are sorted by time.`;
  }
}

/**
 * The table's rows in ts_ns order (stable: equal times keep their file order). With `toZero`, times are shifted
 * so that the earliest is 0: a damaged first line must not put the rest of the capture before the origin.
 */
export function sortByTime(table: Table, name: TableName, toZero: boolean): Table {
  const n = table.numRows;
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((c) => table.getChild(c)!);
  const ts = cols[names.indexOf('ts_ns')]!;
  const times = Array.from({ length: n }, (_, i) => Number(ts.get(i) as bigint | number));
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || a - b);
  const shift = toZero && n ? -times[order[0]!]! : 0;
  const builder = new TableBuilder(name);
  for (const i of order) {
    const row: Row = {};
    names.forEach((c, k) => {
      const v = cols[k]!.get(i) as Row[string];
      row[c] = c === 'ts_ns' ? times[i]! + shift : typeof v === 'bigint' ? Number(v) : v;
    });
    builder.push(row);
  }
  return builder.finish();
}
