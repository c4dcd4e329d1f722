import type { EmbeddingMatrix } from './skipgram-settings.ts';

/**
 * The views' geometry: a 2-D PCA of the vectors, and nearest neighbours by cosine. Small hand-written numerics:
 * the covariance is dim × dim (32 × 32 by default), so a Jacobi eigen solver is exact enough and instant.
 */

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: Float64Array;
  /** Row i is the unit eigenvector of values[i]. */
  readonly vectors: Float64Array[];
}

/**
 * Eigen-decomposition of a symmetric n × n matrix (row-major) by cyclic Jacobi rotations: each rotation zeroes one
 * off-diagonal entry; sweeps repeat until the off-diagonal mass is negligible. Converges quadratically and keeps
 * the eigenvectors orthogonal to rounding, which power iteration with deflation does not.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number, maxSweeps = 100): SymmetricEigen {
  if (matrix.length !== n * n) throw new Error(`symmetricEigen: expected ${n * n} entries, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i]! * a[i]!;
  const tol = 1e-22 * Math.max(scale, Number.MIN_VALUE);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    if (off <= tol) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        // Rotation angle that zeroes a[p][q] (Numerical Recipes' stable form: t = tan θ, the smaller root).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // Columns p and q, then rows p and q: A ← Jᵀ A J.
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]!);
  return {
    values: Float64Array.from(order, (i) => a[i * n + i]!),
    vectors: order.map((col) => {
      const e = Float64Array.from({ length: n }, (_, k) => v[k * n + col]!);
      // A fixed sign (largest |component| positive) so the same vectors always give the same picture.
      let big = 0;
      for (let k = 1; k < n; k++) if (Math.abs(e[k]!) > Math.abs(e[big]!)) big = k;
      if (e[big]! < 0) for (let k = 0; k < n; k++) e[k] = -e[k]!;
      return e;
    }),
  };
}

export interface Pca2 {
  /** Row-major [rows, 2]: each vector's coordinates on the two components. */
  readonly points: Float64Array;
  /** The two principal axes (unit vectors of length dim). */
  readonly components: [Float64Array, Float64Array];
  /** Variance along each axis. */
  readonly variances: [number, number];
  /** Share of the total variance each axis explains (0..1). */
  readonly explained: [number, number];
  readonly mean: Float64Array;
}

/** PCA of the rows of `m` onto 2 dimensions (mean-centred; population covariance). */
export function pca2(m: EmbeddingMatrix): Pca2 {
  const { data, rows, dim } = m;
  const mean = new Float64Array(dim);
  for (let r = 0; r < rows; r++) for (let k = 0; k < dim; k++) mean[k] = mean[k]! + data[r * dim + k]!;
  for (let k = 0; k < dim; k++) mean[k] = mean[k]! / Math.max(1, rows);
  const cov = new Float64Array(dim * dim);
  const x = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dim; k++) x[k] = data[r * dim + k]! - mean[k]!;
    for (let i = 0; i < dim; i++) for (let j = i; j < dim; j++) cov[i * dim + j] = cov[i * dim + j]! + x[i]! * x[j]!;
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      cov[i * dim + j] = cov[i * dim + j]! / Math.max(1, rows);
      cov[j * dim + i] = cov[i * dim + j]!;
    }
  }
  const eig = symmetricEigen(cov, dim);
  const zero = new Float64Array(dim);
  const c0 = eig.vectors[0] ?? zero;
  const c1 = eig.vectors[1] ?? zero;
  const points = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    let p0 = 0;
    let p1 = 0;
    for (let k = 0; k < dim; k++) {
      const d = data[r * dim + k]! - mean[k]!;
      p0 += d * c0[k]!;
      p1 += d * c1[k]!;
    }
    points[r * 2] = p0;
    points[r * 2 + 1] = p1;
  }
  let total = 0;
  for (let i = 0; i < dim; i++) total += Math.max(0, eig.values[i]!);
  const v0 = Math.max(0, eig.values[0] ?? 0);
  const v1 = Math.max(0, eig.values[1] ?? 0);
  return {
    points,
    components: [c0, c1],
    variances: [v0, v1],
    explained: total > 0 ? [v0 / total, v1 / total] : [0, 0],
    mean,
  };
}

/** Cosine similarity of rows i and j (0 when either is all zeros). */
export function cosineSimilarity(m: EmbeddingMatrix, i: number, j: number): number {
  const { data, dim } = m;
  let dot = 0;
  let a = 0;
  let b = 0;
  for (let k = 0; k < dim; k++) {
    const x = data[i * dim + k]!;
    const y = data[j * dim + k]!;
    dot += x * y;
    a += x * x;
    b += y * y;
  }
  return a > 0 && b > 0 ? dot / Math.sqrt(a * b) : 0;
}

export interface Neighbour {
  readonly index: number;
  readonly similarity: number;
}

/** The k rows most similar to row `index` by cosine, most similar first, itself excluded (ties by index). */
export function nearestNeighbours(m: EmbeddingMatrix, index: number, k: number): Neighbour[] {
  if (!(index >= 0 && index < m.rows)) throw new Error(`nearestNeighbours: no row ${index} (there are ${m.rows})`);
  const all: Neighbour[] = [];
  for (let j = 0; j < m.rows; j++) if (j !== index) all.push({ index: j, similarity: cosineSimilarity(m, index, j) });
  all.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
  return all.slice(0, Math.max(0, k));
}
