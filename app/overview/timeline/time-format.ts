/** A tick step of 1, 2 or 5 × 10^k seconds giving about `target` ticks over `spanS`. */
export function tickStep(spanS: number, target: number): number {
  const raw = spanS / Math.max(target, 1);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** A time in seconds with as many decimals as the tick step needs (a 2 µs step shows 6 decimals). */
export function formatTick(s: number, stepS: number): string {
  const decimals = Math.min(9, Math.max(0, -Math.floor(Math.log10(stepS) + 1e-9)));
  return `${s.toFixed(decimals)} s`;
}

/** A duration in the unit that reads best: ns, µs, ms or s. */
export function formatDuration(s: number): string {
  const a = Math.abs(s);
  if (a < 1e-6) return `${(s * 1e9).toFixed(0)} ns`;
  if (a < 1e-3) return `${(s * 1e6).toFixed(a < 1e-5 ? 2 : 1)} µs`;
  if (a < 1) return `${(s * 1e3).toFixed(a < 1e-2 ? 3 : 2)} ms`;
  return `${s.toFixed(3)} s`;
}
