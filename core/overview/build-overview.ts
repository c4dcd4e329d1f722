import type { Bundle } from '../bundle/reader.ts';
import { counterSeries, counterTotals, psiSeries } from './psi-counters.ts';
import { schedSummary } from './sched.ts';
import { syscallSummary } from './syscalls.ts';
import type { Overview, TimeWindow } from './types.ts';
import { usageSeries } from './usage.ts';

/** Everything the overview page draws, computed where the tables live (the worker). */
export function buildOverview(bundle: Bundle, window: TimeWindow | null = null): Overview {
  const { manifest, tables } = bundle;
  const startNs = manifest.workload.startNs;
  const durationS = (manifest.workload.endNs - startNs) / 1e9;
  return {
    durationS,
    window,
    usage: tables.samples ? usageSeries(tables.samples, startNs, window) : { cpu: [], memory: [], io: [] },
    psi: tables.psi ? psiSeries(tables.psi, startNs, window) : [],
    counters: tables.counters ? counterSeries(tables.counters, startNs, window) : [],
    counterTotals: tables.counters && !window ? counterTotals(tables.counters) : [],
    syscalls: tables.syscalls && tables.syscalls.numRows > 0 ? syscallSummary(tables.syscalls, startNs, durationS, window) : null,
    sched: tables.sched && tables.sched.numRows > 0 ? schedSummary(tables.sched, startNs, durationS, window) : null,
  };
}
