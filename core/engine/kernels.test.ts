import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { Arena } from './arena.ts';
import { bestKernel, KERNEL_NAMES, kernelAvailable } from './kernels.ts';

const kernels = KERNEL_NAMES.filter(kernelAvailable);

function naive(M: number, N: number, K: number, A: (i: number, k: number) => number, B: (k: number, j: number) => number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) out[i * N + j]! += A(i, k) * B(k, j);
  return out;
}

describe('engine kernels', () => {
  it('runs the fused multiply-add kernels here (Vitest enables relaxed SIMD, as the CLI does)', () => {
    expect(kernels).toEqual(['wasm-relaxed-simd', 'wasm-simd', 'js']);
    expect(bestKernel()).toBe('wasm-relaxed-simd');
  });

  describe.each(kernels)('%s gemm', (kernel) => {
    // Shapes around the 4×8 register block and the 256-row K panel: every remainder path runs.
    const shapes = [
      [1, 1, 1],
      [3, 5, 2],
      [4, 8, 7],
      [9, 13, 300],
      [17, 4, 33],
      [6, 300, 9],
      [2, 1, 513],
    ] as const;
    for (const [M, N, K] of shapes) {
      it(`${M}×${K} · ${K}×${N}, plain, transposed A, and accumulating`, () => {
        const rng = new Rng(M * 1000 + N * 10 + K);
        const A = new Arena(kernel);
        const a = A.alloc(M * K);
        const b = A.alloc(K * N + 3);
        const c = A.alloc(M * N);
        const h = () => A.f32;
        for (let i = 0; i < M * K; i++) h()[a + i] = rng.normal();
        for (let i = 0; i < K * N; i++) h()[b + i] = rng.normal();
        const ref = naive(M, N, K, (i, k) => h()[a + i * K + k]!, (k, j) => h()[b + k * N + j]!);
        const tol = 1e-5 * Math.sqrt(K) * 4;
        h().fill(7, c, c + M * N);
        A.kernels.gemm(M, N, K, a, K, 1, b, N, c, N, false);
        for (let i = 0; i < M * N; i++) expect(Math.abs(h()[c + i]! - ref[i]!)).toBeLessThan(tol);
        // Accumulating adds the product again.
        A.kernels.gemm(M, N, K, a, K, 1, b, N, c, N, true);
        for (let i = 0; i < M * N; i++) expect(Math.abs(h()[c + i]! - 2 * ref[i]!)).toBeLessThan(2 * tol);
        // The same A read as the transpose of a [K×M] matrix: swap the strides.
        const at = A.alloc(K * M);
        for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) h()[at + k * M + i] = h()[a + i * K + k]!;
        const c2 = A.alloc(M * N);
        A.kernels.gemm(M, N, K, at, 1, M, b, N, c2, N, false);
        for (let i = 0; i < M * N; i++) expect(Math.abs(h()[c2 + i]! - ref[i]!)).toBeLessThan(tol);
      });
    }

    it('K = 0 writes zeros, or leaves C alone when accumulating', () => {
      const A = new Arena(kernel);
      const c = A.alloc(6);
      A.f32.fill(3, c, c + 6);
      A.kernels.gemm(2, 3, 0, 0, 0, 1, 0, 3, c, 3, true);
      expect(Array.from(A.read(c, 6))).toEqual([3, 3, 3, 3, 3, 3]);
      A.kernels.gemm(2, 3, 0, 0, 0, 1, 0, 3, c, 3, false);
      expect(Array.from(A.read(c, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    });

    it('keeps working after the arena grows (the heap view is replaced)', () => {
      const A = new Arena(kernel);
      const a = A.alloc(4);
      A.f32.set([1, 2, 3, 4], a);
      const big = A.alloc(3_000_000);
      const c = A.alloc(4);
      A.kernels.gemm(2, 2, 2, a, 2, 1, a, 2, c, 2, false);
      expect(Array.from(A.read(c, 4))).toEqual([7, 10, 15, 22]);
      expect(big).toBeGreaterThan(a);
    });
  });
});
