// AssemblyScript source of the engine's WASM SIMD kernels. scripts/build-engine-wasm.mjs compiles it into
// ../kernels-wasm-bytes.ts (checked in, so Node, Vitest and Vite need no compiler at run time; a unit test
// recompiles and compares). Pointers are byte addresses into the imported memory; strides are in floats.
//
// gemm: C[M×N] (+)= A·B with A(i,k) at a + (i·rsA + k·csA)·4 (so Aᵀ is just swapped strides) and B row-major
// [K×N] with row stride ldb. A 4×8 register block (8 f32x4 accumulators) over K panels of at most KC rows keeps
// the B panel in L1 while four rows of A stream past it.

const KC: i32 = 256;

// acc + a·b: one fused multiply-add where the build enables relaxed SIMD (V8 lowers it to vfmadd on x64 with
// FMA), else a multiply and an add. Fusing changes rounding in the last bit, never more.
// @ts-ignore: decorator
@inline
function mac(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline
function kern4x8(pa: usize, sA: usize, kA: usize, pb: usize, sB: usize, pc: usize, sC: usize, K: i32, accum: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (accum) {
    c00 = v128.load(pc); c01 = v128.load(pc, 16);
    c10 = v128.load(pc + sC); c11 = v128.load(pc + sC, 16);
    c20 = v128.load(pc + 2 * sC); c21 = v128.load(pc + 2 * sC, 16);
    c30 = v128.load(pc + 3 * sC); c31 = v128.load(pc + 3 * sC, 16);
  }
  const sA2 = sA + sA, sA3 = sA2 + sA;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = f32x4.splat(load<f32>(pa));
    c00 = mac(c00, av, b0);
    c01 = mac(c01, av, b1);
    av = f32x4.splat(load<f32>(pa + sA));
    c10 = mac(c10, av, b0);
    c11 = mac(c11, av, b1);
    av = f32x4.splat(load<f32>(pa + sA2));
    c20 = mac(c20, av, b0);
    c21 = mac(c21, av, b1);
    av = f32x4.splat(load<f32>(pa + sA3));
    c30 = mac(c30, av, b0);
    c31 = mac(c31, av, b1);
    pa += kA;
    pb += sB;
  }
  v128.store(pc, c00); v128.store(pc, c01, 16);
  v128.store(pc + sC, c10); v128.store(pc + sC, c11, 16);
  v128.store(pc + 2 * sC, c20); v128.store(pc + 2 * sC, c21, 16);
  v128.store(pc + 3 * sC, c30); v128.store(pc + 3 * sC, c31, 16);
}

// @ts-ignore: decorator
@inline
function kern4x4(pa: usize, sA: usize, kA: usize, pb: usize, sB: usize, pc: usize, sC: usize, K: i32, accum: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  if (accum) {
    c0 = v128.load(pc); c1 = v128.load(pc + sC); c2 = v128.load(pc + 2 * sC); c3 = v128.load(pc + 3 * sC);
  }
  const sA2 = sA + sA, sA3 = sA2 + sA;
  for (let k = 0; k < K; k++) {
    const b0 = v128.load(pb);
    c0 = mac(c0, f32x4.splat(load<f32>(pa)), b0);
    c1 = mac(c1, f32x4.splat(load<f32>(pa + sA)), b0);
    c2 = mac(c2, f32x4.splat(load<f32>(pa + sA2)), b0);
    c3 = mac(c3, f32x4.splat(load<f32>(pa + sA3)), b0);
    pa += kA;
    pb += sB;
  }
  v128.store(pc, c0); v128.store(pc + sC, c1); v128.store(pc + 2 * sC, c2); v128.store(pc + 3 * sC, c3);
}

// @ts-ignore: decorator
@inline
function kern1x8(pa: usize, kA: usize, pb: usize, sB: usize, pc: usize, K: i32, accum: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  if (accum) { c0 = v128.load(pc); c1 = v128.load(pc, 16); }
  for (let k = 0; k < K; k++) {
    const av = f32x4.splat(load<f32>(pa));
    c0 = mac(c0, av, v128.load(pb));
    c1 = mac(c1, av, v128.load(pb, 16));
    pa += kA;
    pb += sB;
  }
  v128.store(pc, c0); v128.store(pc, c1, 16);
}

// @ts-ignore: decorator
@inline
function kern1x4(pa: usize, kA: usize, pb: usize, sB: usize, pc: usize, K: i32, accum: bool): void {
  let c0 = f32x4.splat(0);
  if (accum) c0 = v128.load(pc);
  for (let k = 0; k < K; k++) {
    c0 = mac(c0, f32x4.splat(load<f32>(pa)), v128.load(pb));
    pa += kA;
    pb += sB;
  }
  v128.store(pc, c0);
}

// @ts-ignore: decorator
@inline
function kern1x1(pa: usize, kA: usize, pb: usize, sB: usize, pc: usize, K: i32, accum: bool): void {
  let s: f32 = accum ? load<f32>(pc) : 0;
  for (let k = 0; k < K; k++) {
    s += load<f32>(pa) * load<f32>(pb);
    pa += kA;
    pb += sB;
  }
  store<f32>(pc, s);
}

function block(M: i32, N: i32, K: i32, a: usize, sA: usize, kA: usize, b: usize, sB: usize, c: usize, sC: usize, accum: bool): void {
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const pa = a + <usize>i * sA;
    const pc = c + <usize>i * sC;
    let j = 0;
    for (; j + 8 <= N; j += 8) kern4x8(pa, sA, kA, b + (<usize>j << 2), sB, pc + (<usize>j << 2), sC, K, accum);
    for (; j + 4 <= N; j += 4) kern4x4(pa, sA, kA, b + (<usize>j << 2), sB, pc + (<usize>j << 2), sC, K, accum);
    for (; j < N; j++) {
      for (let r = 0; r < 4; r++) kern1x1(pa + <usize>r * sA, kA, b + (<usize>j << 2), sB, pc + <usize>r * sC + (<usize>j << 2), K, accum);
    }
  }
  for (; i < M; i++) {
    const pa = a + <usize>i * sA;
    const pc = c + <usize>i * sC;
    let j = 0;
    for (; j + 8 <= N; j += 8) kern1x8(pa, kA, b + (<usize>j << 2), sB, pc + (<usize>j << 2), K, accum);
    for (; j + 4 <= N; j += 4) kern1x4(pa, kA, b + (<usize>j << 2), sB, pc + (<usize>j << 2), K, accum);
    for (; j < N; j++) kern1x1(pa, kA, b + (<usize>j << 2), sB, pc + (<usize>j << 2), K, accum);
  }
}

export function gemm(M: i32, N: i32, K: i32, a: usize, rsA: i32, csA: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: i32): void {
  const sA = <usize>rsA << 2;
  const kA = <usize>csA << 2;
  const sB = <usize>ldb << 2;
  const sC = <usize>ldc << 2;
  if (K <= 0) {
    if (acc == 0) for (let i = 0; i < M; i++) memory.fill(c + <usize>i * sC, 0, <usize>N << 2);
    return;
  }
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    block(M, N, kc, a + <usize>k0 * kA, sA, kA, b + <usize>k0 * sB, sB, c, sC, acc != 0 || k0 > 0);
  }
}
