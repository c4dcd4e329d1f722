import type { TimeOrigin } from '../../../core/importers/index.ts';

/** The recording's origin on both clocks, taken back to back so tools on either clock can be aligned. */
export interface ClockStart {
  readonly monoNs: bigint;
  readonly unixNs: bigint;
}

export function monoNow(): bigint {
  return process.hrtime.bigint();
}

/**
 * performance.timeOrigin + now() is wall-clock time with sub-microsecond resolution (Date.now() is whole ms,
 * which would misplace every strace -ttt timestamp by up to 1 ms).
 */
function unixNowNs(): bigint {
  const ms = performance.timeOrigin + performance.now();
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

export function clockStart(): ClockStart {
  const a = monoNow();
  const unixNs = unixNowNs();
  const b = monoNow();
  return { monoNs: a + (b - a) / 2n, unixNs };
}

export function toTimeOrigin(ns: bigint): TimeOrigin {
  return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
}

/** ns since the origin, as a number (exact below 2^53 ns = 104 days). */
export function sinceStart(start: ClockStart, mono: bigint = monoNow()): number {
  return Number(mono - start.monoNs);
}
