import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from './columns.ts';
import { readBundle } from './reader.ts';

// The fast paths (validity bits read directly, int64 as two 32-bit halves) against Arrow's own get(), on real
// tables with nulls and negative int64 values (syscalls' ret: -1 and errno returns).
describe.each(['sysbench-cpu.tlab'])('columns of %s', (file) => {
  it('numberColumn and dictColumn equal Arrow get() for every value of every table', async () => {
    const r = await readBundle(new Uint8Array(readFileSync(new URL(`../../public/datasets/${file}`, import.meta.url))));
    if (!r.ok) throw new Error(r.error.kind);
    let negatives = 0;
    let nulls = 0;
    for (const table of Object.values(r.bundle.tables)) {
      for (const field of table.schema.fields) {
        const col = table.getChild(field.name)!;
        const isDict = field.type.toString().startsWith('Dictionary');
        const isNumber = /^(Int|Float|Uint)/.test(field.type.toString());
        if (!isDict && !isNumber) continue;
        const got = isDict ? (() => { const d = dictColumn(table, field.name); return Array.from(d.codes, (c) => (c < 0 ? null : d.values[c])); })() : Array.from(numberColumn(table, field.name));
        const want = Array.from({ length: table.numRows }, (_, i) => {
          const v = col.get(i) as unknown;
          if (v === null || v === undefined) return isDict ? null : Number.NaN;
          return isDict ? String(v) : Number(v as number | bigint);
        });
        for (const v of want) {
          if (v === null || (typeof v === 'number' && Number.isNaN(v))) nulls++;
          else if (typeof v === 'number' && v < 0) negatives++;
        }
        expect(got, `${field.name}`).toEqual(want);
      }
    }
    expect(negatives).toBeGreaterThan(0);
    expect(nulls).toBeGreaterThan(0);
  });
});
