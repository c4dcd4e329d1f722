import type { Table } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableFromColumns } from '../bundle/column-table.ts';
import { StraceRows, type StraceKind } from './strace-rows.ts';

const KINDS: StraceKind[] = ['syscall', 'signal', 'exit', 'killed'];
const NAMES = ['read', 'write', 'futex', 'SIGPIPE', 'exit'];
const ERRNOS = ['ENOENT', 'EAGAIN'];
const num = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(Number.NaN, 0, 2 ** 53 - 1, -(2 ** 40), 1.5e15));
const row = fc.record({ ts: fc.integer({ min: -1e12, max: 1e15 }), tid: fc.integer({ min: 1, max: 2 ** 31 - 1 }), pid: fc.integer({ min: 1, max: 2 ** 31 - 1 }), kind: fc.nat(3), name: fc.nat(NAMES.length - 1), duration: num, ret: num, errno: fc.integer({ min: -1, max: ERRNOS.length - 1 }), args: fc.option(fc.string(), { nil: null }) });

const columns = (t: Table) => t.schema.fields.map((f) => ({ name: f.name, nulls: t.getChild(f.name)!.nullCount, values: Array.from(t.getChild(f.name)!.toArray() as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? v.toString() : v)) }));

describe('StraceRows.table', () => {
  it('sorts the rows where they lie and builds the table in their memory: the table the copying path makes', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 400 }), fc.boolean(), fc.integer({ min: -5000, max: 0 }), fc.nat(), (rs, keepArgs, shift, seed) => {
        // A small first capacity, so the columns grow and keep spare room past the last row.
        const rows = new StraceRows(keepArgs, 16);
        for (const r of rs) {
          const i = rows.add(r.ts, r.tid, KINDS[r.kind]!, NAMES[r.name]!, r.args, 1);
          rows.duration[i] = r.duration;
          rows.ret[i] = r.ret;
          rows.setErrno(i, r.errno < 0 ? null : ERRNOS[r.errno]!);
        }
        // A permutation from the seed (Fisher-Yates with a small LCG), as timeOrder's merges give.
        const order = Int32Array.from(rs, (_, i) => i);
        let x = seed;
        for (let i = order.length - 1; i > 0; i--) {
          x = (x * 1103515245 + 12345) >>> 0;
          const j = x % (i + 1);
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        const tid = Float64Array.from(rs, (r) => r.tid);
        const pid = Float64Array.from(rs, (r) => r.pid);
        // The reference: the copying path, from copies of the same rows, in the same order.
        const nameWords: string[] = [];
        for (const n of NAMES) nameWords[rows.nameCode(n)] = n;
        const errnoWords: string[] = [];
        for (const e of ERRNOS) errnoWords[rows.errnoCode(e)] = e;
        const expected = tableFromColumns('syscalls', Array.from(order), {
          ts_ns: { values: rs.map((r) => r.ts - shift) },
          pid: { values: Array.from(pid) },
          tid: { values: Array.from(tid) },
          kind: { codes: rs.map((r) => r.kind), words: KINDS },
          name: { codes: rs.map((r) => nameWords.indexOf(NAMES[r.name]!)), words: nameWords },
          duration_ns: { values: rs.map((r) => r.duration) },
          ret: { values: rs.map((r) => r.ret) },
          errno: { codes: rs.map((r) => (r.errno < 0 ? -1 : errnoWords.indexOf(ERRNOS[r.errno]!))), words: errnoWords },
          args: keepArgs ? { strings: rs.map((r) => r.args) } : { nulls: true },
        });
        const t = rows.table(order, shift, tid, pid);
        expect(columns(t)).toEqual(columns(expected));
        expect(() => rows.table(order, shift, tid, pid)).toThrow('called twice');
      }),
      { numRuns: 200, seed: 20261205 },
    );
  });
});
