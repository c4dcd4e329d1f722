/**
 * Old kernels (before 4.14) and tools that could not evaluate the print format leave sched_switch's
 * prev_state as a number. These are the bits and letters of the kernel's own sched_switch format from
 * that era (include/trace/events/sched.h, 4.x), which is where numeric states come from in practice:
 * LISA's Juno traces show 4096 for preempted tasks and 64/"x" for dying ones, matching this table.
 */
const LETTERS: readonly [number, string][] = [
  [1, 'S'],
  [2, 'D'],
  [4, 'T'],
  [8, 't'],
  [16, 'Z'],
  [32, 'X'],
  [64, 'x'],
  [128, 'K'],
  [256, 'W'],
  [512, 'P'],
  [1024, 'N'],
];
/** TASK_STATE_MAX was 2048 or 4096 depending on the version; its bit marks a preempted (still runnable) task. */
const PREEMPT_BITS = 2048 | 4096;

/** 0 -> "R", 1 -> "S", 130 -> "D|K", 4096 -> "R+". */
export function numericPrevState(value: number): string {
  const low = value & 2047;
  const letters = LETTERS.filter(([bit]) => (low & bit) !== 0).map(([, l]) => l);
  return (letters.length ? letters.join('|') : 'R') + ((value & PREEMPT_BITS) !== 0 ? '+' : '');
}
