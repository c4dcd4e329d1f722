import { readFileSync } from 'node:fs';
import { Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { readBundle } from '../bundle/reader.ts';
import { schedColumns } from './sched.ts';
import { timeOrder, toSeconds } from './time-axis.ts';

/** The switches as the overview read them before it read columns as stored: every column as float64. */
function reference(sched: Table, startNs: number) {
  const t = toSeconds(numberColumn(sched, 'ts_ns'), startNs);
  const cpu = numberColumn(sched, 'cpu');
  const nextPid = numberColumn(sched, 'next_pid');
  const event = dictColumn(sched, 'event');
  const sw = event.values.indexOf('sched_switch');
  const cpus = [...new Set(Array.from(cpu).filter((c) => !Number.isNaN(c)))].sort((a, b) => a - b);
  const order = timeOrder(t);
  const out = { t: [] as number[], cpu: [] as number[], busy: [] as number[] };
  for (let n = 0; n < t.length; n++) {
    const i = order ? order[n]! : n;
    if (event.codes[i] !== sw) continue;
    out.t.push(t[i]!);
    out.cpu.push(cpus.indexOf(cpu[i]!));
    out.busy.push(nextPid[i] !== 0 ? 1 : 0);
  }
  return { cpus, ...out };
}

const files = [
  ['public/datasets/messaging.tlab (format 2)', new URL('../../public/datasets/messaging.tlab', import.meta.url)],
  ['public/datasets/sched/sysbench-memory-2.tlab (format 1.1)', new URL('../../public/datasets/sched/sysbench-memory-2.tlab', import.meta.url)],
  ['fixtures/bundles/format-1.0-sysbench-cpu.tlab (format 1.0)', new URL('../../fixtures/bundles/format-1.0-sysbench-cpu.tlab', import.meta.url)],
] as const;

describe('schedColumns reads Int16/Int32 columns as stored', () => {
  it.each(files)('%s: the same switches, CPUs and busy flags as a float64 read', async (_, url) => {
    const r = await readBundle(new Uint8Array(readFileSync(url)));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const sched = r.bundle.tables.sched!;
    const start = r.bundle.manifest.workload.startNs;
    const want = reference(sched, start);
    // As written (one batch, in time order: read in place), in two batches, and with two rows swapped (both copied).
    const n = sched.numRows;
    const halves = new Table(sched.batches.flatMap((b) => [b.slice(0, n >> 1), b.slice(n >> 1)]));
    const swapped = new Table(sched.batches.flatMap((b) => [b.slice(0, 10), b.slice(11, 12), b.slice(10, 11), b.slice(12)]));
    for (const [how, table] of [['as written', sched], ['in two batches', halves], ['two rows out of order', swapped]] as const) {
      const got = schedColumns(table, start, 1);
      const w = how === 'two rows out of order' ? reference(table, start) : want;
      expect(got.cpus, how).toEqual(w.cpus);
      expect(got.t.length, how).toBe(w.t.length);
      expect(got.t.length).toBeGreaterThan(0);
      expect(got.byEvent.reduce((k, e) => k + e.count, 0), how).toBe(n);
      // Plain loops: deep equality on 300k values is slow.
      let diff = -1;
      for (let m = 0; m < w.t.length && diff < 0; m++) {
        if (got.t[m] !== w.t[m] || got.cpu[m] !== w.cpu[m] || got.busy[m] !== w.busy[m]) diff = m;
      }
      expect(diff, how).toBe(-1);
    }
  });
});
