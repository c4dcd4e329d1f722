import { readFileSync } from 'node:fs';
import { DataType, type Table } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { readBundle } from '../bundle/index.ts';
import { filterRows, tablePage } from './table-page.ts';

/** The whole table read the plain way (columns.ts), as the strings a page should show. */
function naive(table: Table): (string | null)[][] {
  const cols = table.schema.fields.map((f) => {
    if (DataType.isDictionary(f.type)) {
      const { codes, values } = dictColumn(table, f.name);
      return (i: number) => (codes[i]! < 0 ? null : values[codes[i]!]!);
    }
    const x = numberColumn(table, f.name);
    return (i: number) => (Number.isNaN(x[i]!) ? null : String(x[i]!));
  });
  return Array.from({ length: table.numRows }, (_, i) => cols.map((c) => c(i)));
}

let sched: Table;
let samples: Table;
beforeAll(async () => {
  const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/messaging.tlab', import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  sched = r.bundle.tables.sched!;
  samples = r.bundle.tables.samples!;
}, 60_000);

describe('a page of a table, from its decoded columns', () => {
  it('equals a plain read of the table at the start, the middle and the last partial page', () => {
    expect(sched.numRows).toBe(663_840);
    const all = naive(sched);
    const limit = 100;
    const last = Math.floor((sched.numRows - 1) / limit) * limit;
    expect(sched.numRows - last).toBeLessThan(limit); // 663,840 rows: the last page has 40
    for (const offset of [0, 1, 333_333, last]) {
      const page = tablePage(sched, offset, limit);
      expect(page.offset).toBe(offset);
      expect(page.totalRows).toBe(sched.numRows);
      expect(page.rows.length).toBe(Math.min(limit, sched.numRows - offset));
      expect(page.rows).toEqual(all.slice(offset, offset + limit));
      expect(page.rowIndex[0]).toBe(offset);
    }
    // Nulls are shown as nulls: sched_switch rows have no target task.
    expect(tablePage(sched, 0, 1000).rows.some((r) => r.includes(null))).toBe(true);
  });

  it('a float table too, and an offset past the end gives the last row rather than nothing', () => {
    const all = naive(samples);
    expect(tablePage(samples, 17, 50).rows).toEqual(all.slice(17, 67));
    const past = tablePage(samples, samples.numRows + 5, 10);
    expect(past.offset).toBe(samples.numRows - 1);
    expect(past.rows).toEqual(all.slice(-1));
  });

  it('a filter keeps the rows whose column contains the text, and pages through them', () => {
    const { codes, values } = dictColumn(sched, 'next_comm');
    const want: number[] = [];
    for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0 && values[codes[i]!]!.toLowerCase().includes('swapper')) want.push(i);
    expect(want.length).toBeGreaterThan(1000);
    const matches = filterRows(sched, { column: 'next_comm', text: 'SWAPper' });
    expect(Array.from(matches)).toEqual(want);
    const page = tablePage(sched, 1000, 25, matches);
    expect(page.matchedRows).toBe(want.length);
    expect(page.rowIndex).toEqual(want.slice(1000, 1025));
    // A number column is matched on its displayed text.
    const cpu1 = filterRows(sched, { column: 'cpu', text: '1' });
    const cpu = numberColumn(sched, 'cpu');
    expect(cpu1.length).toBe(cpu.filter((c) => String(c).includes('1')).length);
    expect(() => filterRows(sched, { column: 'nope', text: 'x' })).toThrow('no column "nope"');
  });
});
