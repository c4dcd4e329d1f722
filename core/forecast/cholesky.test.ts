import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve } from './cholesky.ts';

describe('cholesky', () => {
  // The textbook example: A = L·Lᵀ with L = [[2,0,0],[6,1,0],[-8,5,3]].
  const a = Float64Array.of(4, 12, -16, 12, 37, -43, -16, -43, 98);

  it('factors a known matrix exactly', () => {
    const l = cholesky(a, 3)!;
    expect(Array.from(l)).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it('solves A·x = b', () => {
    const l = cholesky(a, 3)!;
    // b = A·[1, 2, 3]
    const x = choleskySolve(l, 3, [4 + 24 - 48, 12 + 74 - 129, -16 - 86 + 294]);
    expect(x[0]).toBeCloseTo(1, 10);
    expect(x[1]).toBeCloseTo(2, 10);
    expect(x[2]).toBeCloseTo(3, 10);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBeNull();
    expect(cholesky(Float64Array.of(1, 1, 1, 1), 2)).toBeNull(); // singular
  });
});
