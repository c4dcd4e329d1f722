/** Accuracies over no positions are NaN (nothing was measured): shown as a dash, never as 0 %. */
export function pct(v: number | undefined, digits = 1): string {
  return v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(digits)}%`;
}

/** For data-* attributes read by tests: plain numbers, "" when not measured. */
export function attr(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? '' : String(v);
}

export function micros(v: number): string {
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} µs`;
}

export function perSecond(v: number): string {
  return `${Math.round(v).toLocaleString('en-US')}/s`;
}
