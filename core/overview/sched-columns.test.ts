import { readFileSync } from 'node:fs';
import type { Table } from 'apache-arrow';
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
  ['public/datasets/messaging.tlab (format 1.2)', new URL('../../public/datasets/messaging.tlab', import.meta.url)],
  ['fixtures/bundles/format-1.0-sysbench-cpu.tlab (format 1.0)', new URL('../../fixtures/bundles/format-1.0-sysbench-cpu.tlab', import.meta.url)],
] as const;

describe('schedColumns reads Int16/Int32 columns as stored', () => {
  it.each(files)('%s: the same switches, CPUs and busy flags as a float64 read', async (_, url) => {
    const r = await readBundle(new Uint8Array(readFileSync(url)));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const sched = r.bundle.tables.sched!;
    const start = r.bundle.manifest.workload.startNs;
    const got = schedColumns(sched, start, 1);
    const want = reference(sched, start);
    expect(got.cpus).toEqual(want.cpus);
    expect(got.t.length).toBe(want.t.length);
    expect(got.t.length).toBeGreaterThan(0);
    // Plain loops: deep equality on 300k values is slow.
    let diff = -1;
    for (let m = 0; m < want.t.length && diff < 0; m++) {
      if (got.t[m] !== want.t[m] || got.cpu[m] !== want.cpu[m] || got.busy[m] !== want.busy[m]) diff = m;
    }
    expect(diff).toBe(-1);
  });
});
