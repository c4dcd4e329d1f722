import { numericPrevState } from '../importers/sched-state.ts';

/**
 * sched_switch stores prev_state as a number whose bits changed between kernels; the format's own print fmt
 * says which bit is which letter (`__print_flags(..., "|", { 0x01, "S" }, ...)`) and the bit above the last
 * letter marks a preempted task ("+"), exactly as tracefs prints it. Without that table (a format from a tool
 * that stripped it) the 4.x bits of importers/sched-state.ts are used.
 */
export function prevStateReader(printFmt: string): (value: number) => string {
  const flags = prevStateFlags(printFmt);
  if (!flags.length) return numericPrevState;
  const top = Math.max(...flags.map(([bit]) => bit));
  const preempt = top * 2;
  const mask = preempt - 1;
  return (value) => {
    const low = value & mask;
    const letters = low ? flags.filter(([bit]) => (low & bit) !== 0).map(([, l]) => l).join('|') : 'R';
    return (letters || 'R') + ((value & preempt) !== 0 ? '+' : '');
  };
}

/** The (bit, letter) pairs of a sched_switch print fmt's __print_flags table, in its order; [] without one. */
export function prevStateFlags(printFmt: string): [number, string][] {
  const flags: [number, string][] = [];
  const flagsAt = printFmt.indexOf('__print_flags(');
  if (flagsAt < 0) return flags;
  const re = /\{\s*(0x[0-9a-fA-F]+|\d+)\s*,\s*"([^"]*)"\s*\}/g;
  re.lastIndex = flagsAt;
  for (let m = re.exec(printFmt); m; m = re.exec(printFmt)) flags.push([Number(m[1]), m[2]!]);
  return flags;
}
