/** Raw tool timestamps are seconds in some clock. origin, when given, is subtracted (as integer sec + nsec, so epoch
 *  timestamps do not lose precision in float64); otherwise the first timestamp seen becomes 0. */
export interface TimeOrigin {
  sec: number;
  nsec: number;
}

const SECONDS = /^\s*(\d+)(?:\.(\d*))?\s*$/;

/** "1700000000.123456" -> { sec: 1700000000, nsec: 123456000 }, exactly (digits past the 9th are dropped). */
export function parseSecondsToParts(text: string): { sec: number; nsec: number } | null {
  const m = SECONDS.exec(text);
  if (!m) return null;
  return { sec: Number(m[1]), nsec: fractionToNs(m[2] ?? '') };
}

/** "000123" (the digits after the point) -> 123000 ns. */
export function fractionToNs(digits: string): number {
  if (digits.length === 0) return 0;
  if (digits.length >= 9) return Number(digits.slice(0, 9));
  return Number(digits) * 10 ** (9 - digits.length);
}

/** A duration or offset given as seconds text, in whole ns; null when it is not a plain decimal number. */
export function secondsTextToNs(text: string): number | null {
  const p = parseSecondsToParts(text);
  return p ? p.sec * 1e9 + p.nsec : null;
}

/**
 * Converts raw (sec, nsec) timestamps to ns since the origin. The subtraction is done on the integer parts
 * first: an epoch timestamp in ns (~1.7e18) is far beyond float64's exact range, the difference is not.
 */
export class RelativeClock {
  private origin: TimeOrigin | null;
  /** The first raw timestamp converted, as read (before the origin is subtracted). */
  first: { sec: number; nsec: number } | null = null;

  constructor(origin?: TimeOrigin) {
    this.origin = origin ?? null;
  }

  toNs(sec: number, nsec: number): number {
    if (this.first === null) this.first = { sec, nsec };
    this.origin ??= { sec, nsec };
    return (sec - this.origin.sec) * 1e9 + (nsec - this.origin.nsec);
  }
}
