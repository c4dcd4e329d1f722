import { sq } from './math.ts';
/**
 * The augmented Dickey–Fuller statistic with a constant (statsmodels' `adfuller(x, maxlag=p, regression='c',
 * autolag=None)`): the t statistic of γ in the least-squares fit
 *   Δy_t = α + γ y_{t−1} + Σ_{i=1..p} δ_i Δy_{t−i} + e_t,   t = p+1 .. n−1.
 * Very negative values reject a unit root (the phase is stationary): MacKinnon's critical values for large n are
 * −3.43 (1 %), −2.86 (5 %) and −2.57 (10 %). Returns NaN when the phase is too short or constant to fit.
 */
export function adfStatistic(y: ArrayLike<number>, lags = 0): number {
  const n = y.length;
  const p = Math.max(0, Math.floor(lags));
  const k = 2 + p; // constant, y_{t−1}, lagged differences
  const rows = n - 1 - p;
  if (rows <= k + 1) return Number.NaN;
  const dy = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) dy[i - 1] = y[i]! - y[i - 1]!;
  // Design matrix X (rows × k) and target z: row r is time t = p + 1 + r (index into y).
  const X = new Float64Array(rows * k);
  const z = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const t = p + 1 + r;
    z[r] = dy[t - 1]!;
    X[r * k] = 1;
    X[r * k + 1] = y[t - 1]!;
    for (let i = 1; i <= p; i++) X[r * k + 1 + i] = dy[t - 1 - i]!;
  }
  const fit = ols(X, z, rows, k);
  if (!fit) return Number.NaN;
  return fit.beta[1]! / fit.se[1]!;
}

/** Ordinary least squares by the normal equations (Cholesky); null when X'X is singular or the fit is exact. */
export function ols(X: Float64Array, z: Float64Array, rows: number, k: number): { beta: Float64Array; se: Float64Array } | null {
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < k; i++) {
      const xi = X[r * k + i]!;
      b[i] = b[i]! + xi * z[r]!;
      for (let j = 0; j <= i; j++) A[i * k + j] = A[i * k + j]! + xi * X[r * k + j]!;
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) A[j * k + i] = A[i * k + j]!;
  const inv = invertSpd(A, k);
  if (!inv) return null;
  const beta = new Float64Array(k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) beta[i] = beta[i]! + inv[i * k + j]! * b[j]!;
  let rss = 0;
  for (let r = 0; r < rows; r++) {
    let f = 0;
    for (let i = 0; i < k; i++) f += X[r * k + i]! * beta[i]!;
    rss += sq(z[r]! - f);
  }
  const s2 = rss / (rows - k);
  if (!(s2 > 0)) return null;
  const se = new Float64Array(k);
  for (let i = 0; i < k; i++) se[i] = Math.sqrt(s2 * inv[i * k + i]!);
  return { beta, se };
}

/** Inverse of a symmetric positive definite matrix by Gauss–Jordan with partial pivoting; null when singular. */
function invertSpd(A: Float64Array, k: number): Float64Array | null {
  const M = new Float64Array(k * 2 * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) M[i * 2 * k + j] = A[i * k + j]!;
    M[i * 2 * k + k + i] = 1;
  }
  let scale = 0;
  for (let i = 0; i < k; i++) scale = Math.max(scale, Math.abs(A[i * k + i]!));
  for (let c = 0; c < k; c++) {
    let piv = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r * 2 * k + c]!) > Math.abs(M[piv * 2 * k + c]!)) piv = r;
    const pv = M[piv * 2 * k + c]!;
    if (!(Math.abs(pv) > 1e-12 * Math.max(scale, 1e-300))) return null;
    if (piv !== c) for (let j = 0; j < 2 * k; j++) [M[c * 2 * k + j], M[piv * 2 * k + j]] = [M[piv * 2 * k + j]!, M[c * 2 * k + j]!];
    for (let j = 0; j < 2 * k; j++) M[c * 2 * k + j] = M[c * 2 * k + j]! / pv;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = M[r * 2 * k + c]!;
      if (f === 0) continue;
      for (let j = 0; j < 2 * k; j++) M[r * 2 * k + j] = M[r * 2 * k + j]! - f * M[c * 2 * k + j]!;
    }
  }
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) inv[i * k + j] = M[i * 2 * k + k + j]!;
  return inv;
}
