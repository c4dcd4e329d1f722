import { PREV_STATES, type PrevState } from './types.ts';

const INDEX = new Map<PrevState, number>(PREV_STATES.map((s, i) => [s, i]));

/** PREV_STATES index of a raw sched_switch prev_state ("R+", "S", "D|K", "t", ...); null or odd letters → "other". */
export function prevStateIndex(raw: string | null): number {
  return INDEX.get(prevStateOf(raw))!;
}

export function prevStateOf(raw: string | null): PrevState {
  if (raw === null || raw === '') return 'other';
  // "+" only ever follows R (preempted while runnable); a combined "D|K" is named by its first state.
  if (raw[0] === 'R') return raw.includes('+') ? 'R+' : 'R';
  switch (raw[0]) {
    case 'S':
      return 'S';
    case 'D':
      return 'D';
    case 'I':
      return 'I';
    case 'T':
    case 't':
      return 'T';
    case 'X':
    case 'Z':
      return 'X/Z';
    default:
      return 'other';
  }
}
