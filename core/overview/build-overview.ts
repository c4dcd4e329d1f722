import type { Bundle } from '../bundle/reader.ts';
import { countersAreReadings } from '../series/counter-kind.ts';
import { counterColumns, counterTotals, psiColumns } from './psi-counters.ts';
import { schedColumns, schedSummaryOf, type SchedColumns } from './sched.ts';
import { syscallColumns, syscallSummaryOf, type SyscallColumns } from './syscalls.ts';
import type { Overview, TimeWindow } from './types.ts';
import { displaySeries, usageColumns, type FullSeries, type UsageColumns } from './usage.ts';

/**
 * What the overview needs of a bundle, decoded once: full-resolution series and the columns the scheduler and
 * system-call summaries walk. The loader worker keeps one per open bundle, so a zoom only slices it. Each part is
 * made on first use (the overview of a bundle whose sched table is still to come can be drawn without it).
 */
export interface PreparedOverview {
  readonly durationS: number;
  usage(): UsageColumns;
  psi(): readonly FullSeries[];
  counters(): readonly FullSeries[];
  counterTotals(): Overview['counterTotals'];
  syscalls(): SyscallColumns | null;
  sched(): SchedColumns | null;
  /** The whole recording's summaries, kept: the partial overview's syscall summary is the whole one's too. */
  syscallSummary(): Overview['syscalls'];
  schedSummary(): Overview['sched'];
}

const once = <T>(make: () => T): (() => T) => {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = make();
      done = true;
    }
    return value;
  };
};

/**
 * `earlier`: the same bundle's overview prepared from fewer tables (a partial, drawn while a large table was
 * decoding). Each part whose table is the same decoded table is taken over, computed or not, so the full
 * overview computes only what the new tables bring.
 */
export function prepareOverview(bundle: Bundle, earlier?: { readonly bundle: Bundle; readonly prepared: PreparedOverview } | null): PreparedOverview {
  const { manifest, tables } = bundle;
  const startNs = manifest.workload.startNs;
  const durationS = (manifest.workload.endNs - startNs) / 1e9;
  const readings = countersAreReadings(manifest);
  // Same manifest object, same table object: the part would be computed from exactly the same inputs.
  const kept = (t: keyof Bundle['tables']) => !!earlier && earlier.bundle.manifest === manifest && earlier.bundle.tables[t] === tables[t];
  const e = earlier?.prepared;
  const syscalls = kept('syscalls') ? e!.syscalls : once(() => (tables.syscalls && tables.syscalls.numRows > 0 ? syscallColumns(tables.syscalls, startNs, durationS) : null));
  const sched = kept('sched') ? e!.sched : once(() => (tables.sched && tables.sched.numRows > 0 ? schedColumns(tables.sched, startNs, durationS) : null));
  return {
    durationS,
    usage: kept('samples') ? e!.usage : once(() => (tables.samples ? usageColumns(tables.samples, startNs) : { cpu: [], memory: [], io: [] })),
    psi: kept('psi') ? e!.psi : once(() => (tables.psi ? psiColumns(tables.psi, startNs) : [])),
    counters: kept('counters') ? e!.counters : once(() => (tables.counters ? counterColumns(tables.counters, startNs, readings) : [])),
    counterTotals: kept('counters') ? e!.counterTotals : once(() => (tables.counters ? counterTotals(tables.counters, 2000, readings) : [])),
    syscalls,
    sched,
    syscallSummary: kept('syscalls') ? e!.syscallSummary : once(() => (syscalls() ? syscallSummaryOf(syscalls()!) : null)),
    schedSummary: kept('sched') ? e!.schedSummary : once(() => (sched() ? schedSummaryOf(sched()!) : null)),
  };
}

/** The overview of a window (null: the whole recording) from prepared columns. */
export function overviewOf(p: PreparedOverview, window: TimeWindow | null = null): Overview {
  const usage = p.usage();
  const syscalls = p.syscalls();
  const sched = p.sched();
  return {
    durationS: p.durationS,
    window,
    usage: { cpu: displaySeries(usage.cpu, window), memory: displaySeries(usage.memory, window), io: displaySeries(usage.io, window) },
    psi: displaySeries(p.psi(), window),
    counters: displaySeries(p.counters(), window),
    counterTotals: window ? [] : p.counterTotals(),
    syscalls: window ? (syscalls ? syscallSummaryOf(syscalls, window) : null) : p.syscallSummary(),
    sched: window ? (sched ? schedSummaryOf(sched, window) : null) : p.schedSummary(),
  };
}

/** Everything the overview page draws, computed where the tables live (the worker). */
export function buildOverview(bundle: Bundle, window: TimeWindow | null = null): Overview {
  return overviewOf(prepareOverview(bundle), window);
}
