import type { SwitchTrace } from './types.ts';

export interface CpuChain {
  readonly cpu: number;
  readonly switches: number;
  /** Switches whose outgoing task is not the one last switched in on that CPU: a switch between them is missing. */
  readonly breaks: number;
}

/**
 * How complete each CPU's chain of switches is. A recorded trace should chain almost perfectly; breaks mean events
 * were dropped on the way (the predictor then learns a sequence the CPU never ran), so the lab shows this count.
 */
export function switchChains(trace: SwitchTrace): CpuChain[] {
  const last = new Map<number, number>();
  const stats = new Map<number, { switches: number; breaks: number }>();
  for (let i = 0; i < trace.length; i++) {
    const cpu = trace.cpu[i]!;
    let s = stats.get(cpu);
    if (!s) stats.set(cpu, (s = { switches: 0, breaks: 0 }));
    s.switches++;
    const before = last.get(cpu);
    if (before !== undefined && before !== trace.prevPid[i]) s.breaks++;
    last.set(cpu, trace.nextPid[i]!);
  }
  return [...stats.entries()].sort(([a], [b]) => a - b).map(([cpu, s]) => ({ cpu, ...s }));
}
