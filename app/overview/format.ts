export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatSeconds(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * A span of time in the unit that reads best, e.g. 0.00019999999999999998 → "200 µs", 0.005 → "5 ms", 2 → "2 s":
 * a bucket width computed in seconds carries float noise that must not reach an axis name.
 */
export function formatSpan(s: number): string {
  if (!(s > 0) || !Number.isFinite(s)) return `${s} s`;
  const units: [number, string][] = [
    [1, 's'],
    [1e-3, 'ms'],
    [1e-6, 'µs'],
    [1e-9, 'ns'],
  ];
  const [scale, unit] = units.find(([k]) => s >= k * 0.9995) ?? units[units.length - 1]!;
  return `${Number((s / scale).toPrecision(3))} ${unit}`;
}
