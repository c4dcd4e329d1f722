import type { Table } from 'apache-arrow';
import { dictColumn, numberColumn } from '../bundle/columns.ts';

export interface ChainBreaks {
  total: number;
  /** CPU number -> breaks on it; CPUs without any are left out. */
  perCpu: Record<number, number>;
}

/**
 * Switches on a CPU form a chain: each one's prev_pid is the previous one's next_pid. A break means a switch
 * in between was never recorded: lost in the buffer, or (on some kernels, often out of idle) never emitted.
 * Rows are taken in table order, which is time order within each CPU for every reader here.
 */
export function switchChainBreaks(sched: Table): ChainBreaks {
  const event = dictColumn(sched, 'event');
  const switchCode = event.values.indexOf('sched_switch');
  const perCpu: Record<number, number> = {};
  let total = 0;
  if (switchCode < 0) return { total, perCpu };
  const cpu = numberColumn(sched, 'cpu');
  const prev = numberColumn(sched, 'prev_pid');
  const next = numberColumn(sched, 'next_pid');
  const running = new Map<number, number>();
  for (let i = 0; i < event.codes.length; i++) {
    if (event.codes[i] !== switchCode) continue;
    const c = cpu[i]!;
    const before = running.get(c);
    // An unknown prev_pid (NaN) cannot break the chain: there is nothing to compare.
    if (before !== undefined && !Number.isNaN(prev[i]!) && !Number.isNaN(before) && before !== prev[i]) {
      perCpu[c] = (perCpu[c] ?? 0) + 1;
      total++;
    }
    running.set(c, next[i]!);
  }
  return { total, perCpu };
}

export function chainBreakNote(b: ChainBreaks): string | null {
  if (!b.total) return null;
  const where = Object.entries(b.perCpu)
    .map(([c, n]) => `${n} on CPU ${c}`)
    .join(', ');
  return `${b.total} sched_switch rows (${where}) do not continue the switch before them on their CPU: a switch in between was not recorded (lost, or never emitted by the kernel; on some kernels the switch out of idle). The rows are kept as recorded; the scheduling lab puts the missing switches back.`;
}
