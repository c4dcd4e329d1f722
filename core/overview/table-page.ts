import { DataType, type Table } from 'apache-arrow';

/** Rows of a table as the page shows them: each cell a display string, null where the value is null. */
export interface TablePage {
  readonly columns: readonly string[];
  /** Rows in the table. */
  readonly totalRows: number;
  /** Rows the filter keeps (totalRows without one). */
  readonly matchedRows: number;
  /** Position of the first row of the page among the matched rows. */
  readonly offset: number;
  /** Each row's index in the table (its row number, from 0). */
  readonly rowIndex: readonly number[];
  readonly rows: readonly (readonly (string | null)[])[];
}

/** Keeps the rows whose `column`, as displayed, contains `text` (case-insensitive). */
export interface TableFilter {
  readonly column: string;
  readonly text: string;
}

/** A value as the table view shows it: numbers and int64s in full, dictionary entries as their text; null stays null. */
export const cellText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * The rows a filter keeps, as indices into the table. O(rows) once (a dictionary column compares its dictionary,
 * then codes); the page keeps the answer, so paging through the matches is O(limit) again.
 */
export function filterRows(table: Table, filter: TableFilter): Int32Array {
  const col = table.getChild(filter.column);
  if (!col) throw new Error(`no column "${filter.column}" in this table`);
  const needle = filter.text.toLowerCase();
  const out = new Int32Array(table.numRows);
  let n = 0;
  let i = 0;
  for (const data of col.data) {
    if (DataType.isDictionary(data.type) && data.dictionary) {
      const dict = data.dictionary;
      const keep = new Uint8Array(dict.length);
      for (let k = 0; k < dict.length; k++) keep[k] = String(dict.get(k)).toLowerCase().includes(needle) ? 1 : 0;
      const codes = data.values as ArrayLike<number>;
      for (let j = 0; j < data.length; j++, i++) if (data.getValid(j) && keep[codes[j]!]) out[n++] = i;
      continue;
    }
    for (let j = 0; j < data.length; j++, i++) {
      const t = cellText(col.get(i));
      if (t !== null && t.toLowerCase().includes(needle)) out[n++] = i;
    }
  }
  return out.subarray(0, n);
}

/**
 * `limit` rows from `offset` (among the rows `matches` keeps, or all rows): O(limit × columns), so a page of
 * messaging.tlab's 663,840 sched rows costs what a page of a ten-row table does.
 */
export function tablePage(table: Table, offset: number, limit: number, matches: Int32Array | null = null): TablePage {
  const columns = table.schema.fields.map((f) => f.name);
  const vectors = columns.map((c) => table.getChild(c)!);
  const matchedRows = matches ? matches.length : table.numRows;
  const from = Math.max(0, Math.min(Math.floor(offset), Math.max(0, matchedRows - 1)));
  const to = Math.min(matchedRows, from + Math.max(0, Math.floor(limit)));
  const rowIndex: number[] = [];
  const rows: (string | null)[][] = [];
  for (let k = from; k < to; k++) {
    const i = matches ? matches[k]! : k;
    rowIndex.push(i);
    rows.push(vectors.map((v) => cellText(v.get(i))));
  }
  return { columns, totalRows: table.numRows, matchedRows, offset: from, rowIndex, rows };
}
