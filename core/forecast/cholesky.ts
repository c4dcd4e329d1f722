/**
 * Cholesky factorisation and solves for symmetric positive definite systems, in float64 (the normal equations of
 * ridge regression square the condition number, so single precision is not enough).
 */

/**
 * Lower-triangular L with A = L·Lᵀ, for a p×p row-major matrix A (only its lower triangle is read). Returns null
 * when A is not (numerically) positive definite.
 */
export function cholesky(a: Float64Array, p: number): Float64Array | null {
  if (a.length !== p * p) throw new Error(`matrix must hold ${p}×${p} values, got ${a.length}`);
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * p + j]!;
      for (let m = 0; m < j; m++) s -= l[i * p + m]! * l[j * p + m]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * p + i] = Math.sqrt(s);
      } else {
        l[i * p + j] = s / l[j * p + j]!;
      }
    }
  }
  return l;
}

/** Solves L·Lᵀ·x = b given the factor L (forward then back substitution). */
export function choleskySolve(l: Float64Array, p: number, b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= l[i * p + m]! * z[m]!;
    z[i] = s / l[i * p + i]!;
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < p; m++) s -= l[m * p + i]! * x[m]!;
    x[i] = s / l[i * p + i]!;
  }
  return x;
}
