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
    let av = v128.load32_splat(pa);
    c00 = mac(c00, av, b0);
    c01 = mac(c01, av, b1);
    av = v128.load32_splat(pa + sA);
    c10 = mac(c10, av, b0);
    c11 = mac(c11, av, b1);
    av = v128.load32_splat(pa + sA2);
    c20 = mac(c20, av, b0);
    c21 = mac(c21, av, b1);
    av = v128.load32_splat(pa + sA3);
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
    c0 = mac(c0, v128.load32_splat(pa), b0);
    c1 = mac(c1, v128.load32_splat(pa + sA), b0);
    c2 = mac(c2, v128.load32_splat(pa + sA2), b0);
    c3 = mac(c3, v128.load32_splat(pa + sA3), b0);
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
    const av = v128.load32_splat(pa);
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
    c0 = mac(c0, v128.load32_splat(pa), v128.load(pb));
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

// ---- Elementwise kernels. The exponential is Cephes' expf polynomial (about 1 ulp on the clamped range) in
// plain multiplies and adds — never fused — so both builds give the same bits. Every vector loop has a scalar tail
// with the same arithmetic, so a row's width need not be a multiple of 4.

// @ts-ignore: decorator
@inline
function expv(x0: v128): v128 {
  const x1 = f32x4.min(f32x4.max(x0, f32x4.splat(-87.3)), f32x4.splat(88.3));
  const n = f32x4.nearest(f32x4.mul(x1, f32x4.splat(1.44269504088896341)));
  const x = f32x4.sub(f32x4.sub(x1, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let y = f32x4.splat(1.9875691500e-4);
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.3981999507e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(8.3334519073e-3));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(4.1665795894e-2));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(1.6666665459e-1));
  y = f32x4.add(f32x4.mul(y, x), f32x4.splat(5.0000001201e-1));
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, x), x), x), f32x4.splat(1));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2);
}

// @ts-ignore: decorator
@inline
function exps(x0: f32): f32 {
  const x1 = min(max(x0, <f32>-87.3), <f32>88.3);
  const n = nearest<f32>(x1 * <f32>1.44269504088896341);
  const x = x1 - n * <f32>0.693359375 - n * <f32>-2.12194440e-4;
  let y: f32 = 1.9875691500e-4;
  y = y * x + <f32>1.3981999507e-3;
  y = y * x + <f32>8.3334519073e-3;
  y = y * x + <f32>4.1665795894e-2;
  y = y * x + <f32>1.6666665459e-1;
  y = y * x + <f32>5.0000001201e-1;
  y = y * x * x + x + <f32>1;
  return y * reinterpret<f32>((<i32>n + 127) << 23);
}

// @ts-ignore: decorator
@inline
function sigv(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline
function sigs(x: f32): f32 {
  return <f32>1 / (<f32>1 + exps(-x));
}

// tanh(x) = 2σ(2x) − 1: absolute error about 1e-7, what float32 training needs.
// @ts-ignore: decorator
@inline
function tanhv(x: v128): v128 {
  return f32x4.sub(f32x4.mul(f32x4.splat(2), sigv(f32x4.add(x, x))), f32x4.splat(1));
}

// @ts-ignore: decorator
@inline
function tanhs(x: f32): f32 {
  return <f32>2 * sigs(x + x) - <f32>1;
}

/** One LSTM step's gates (z [B×4H]: i, f, g, o pre-activations, overwritten with activations); c and h from cPrev. */
export function lstmCellForward(B: i32, H: i32, z: usize, cPrev: usize, c: usize, h: usize): void {
  const G = <usize>(4 * H) << 2;
  const Hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const zr = z + <usize>b * G;
    const r = <usize>b * Hb;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o4 = <usize>j << 2;
      const i = sigv(v128.load(zr + o4));
      const f = sigv(v128.load(zr + Hb + o4));
      const g = tanhv(v128.load(zr + 2 * Hb + o4));
      const o = sigv(v128.load(zr + 3 * Hb + o4));
      v128.store(zr + o4, i);
      v128.store(zr + Hb + o4, f);
      v128.store(zr + 2 * Hb + o4, g);
      v128.store(zr + 3 * Hb + o4, o);
      const cv = f32x4.add(f32x4.mul(f, v128.load(cPrev + r + o4)), f32x4.mul(i, g));
      v128.store(c + r + o4, cv);
      v128.store(h + r + o4, f32x4.mul(o, tanhv(cv)));
    }
    for (; j < H; j++) {
      const o4 = <usize>j << 2;
      const i = sigs(load<f32>(zr + o4));
      const f = sigs(load<f32>(zr + Hb + o4));
      const g = tanhs(load<f32>(zr + 2 * Hb + o4));
      const o = sigs(load<f32>(zr + 3 * Hb + o4));
      store<f32>(zr + o4, i);
      store<f32>(zr + Hb + o4, f);
      store<f32>(zr + 2 * Hb + o4, g);
      store<f32>(zr + 3 * Hb + o4, o);
      const cv = f * load<f32>(cPrev + r + o4) + i * g;
      store<f32>(c + r + o4, cv);
      store<f32>(h + r + o4, o * tanhs(cv));
    }
  }
}

/** Backward of one step (see core/engine/ops.ts lstmCellBackward for the maths); dc is updated in place. */
export function lstmCellBackward(B: i32, H: i32, gates: usize, cPrev: usize, c: usize, dh: usize, dc: usize, dz: usize): void {
  const G = <usize>(4 * H) << 2;
  const Hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const gr = gates + <usize>b * G;
    const zr = dz + <usize>b * G;
    const r = <usize>b * Hb;
    let j = 0;
    for (; j + 4 <= H; j += 4) {
      const o4 = <usize>j << 2;
      const i = v128.load(gr + o4);
      const f = v128.load(gr + Hb + o4);
      const g = v128.load(gr + 2 * Hb + o4);
      const o = v128.load(gr + 3 * Hb + o4);
      const tc = tanhv(v128.load(c + r + o4));
      const dhv = v128.load(dh + r + o4);
      const dcv = f32x4.add(f32x4.mul(f32x4.mul(dhv, o), f32x4.sub(one, f32x4.mul(tc, tc))), v128.load(dc + r + o4));
      v128.store(zr + o4, f32x4.mul(f32x4.mul(f32x4.mul(dcv, g), i), f32x4.sub(one, i)));
      v128.store(zr + Hb + o4, f32x4.mul(f32x4.mul(f32x4.mul(dcv, v128.load(cPrev + r + o4)), f), f32x4.sub(one, f)));
      v128.store(zr + 2 * Hb + o4, f32x4.mul(f32x4.mul(dcv, i), f32x4.sub(one, f32x4.mul(g, g))));
      v128.store(zr + 3 * Hb + o4, f32x4.mul(f32x4.mul(f32x4.mul(dhv, tc), o), f32x4.sub(one, o)));
      v128.store(dc + r + o4, f32x4.mul(dcv, f));
    }
    for (; j < H; j++) {
      const o4 = <usize>j << 2;
      const i = load<f32>(gr + o4);
      const f = load<f32>(gr + Hb + o4);
      const g = load<f32>(gr + 2 * Hb + o4);
      const o = load<f32>(gr + 3 * Hb + o4);
      const tc = tanhs(load<f32>(c + r + o4));
      const dhv = load<f32>(dh + r + o4);
      const dcv = dhv * o * (<f32>1 - tc * tc) + load<f32>(dc + r + o4);
      store<f32>(zr + o4, dcv * g * i * (<f32>1 - i));
      store<f32>(zr + Hb + o4, dcv * load<f32>(cPrev + r + o4) * f * (<f32>1 - f));
      store<f32>(zr + 2 * Hb + o4, dcv * i * (<f32>1 - g * g));
      store<f32>(zr + 3 * Hb + o4, dhv * tc * o * (<f32>1 - o));
      store<f32>(dc + r + o4, dcv * f);
    }
  }
}

/**
 * Adam over n parameters laid out as Params keeps them (values, gradients, first and second moments, each n long
 * from w): m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; w ← w − lr·c1·m / (√(v·c2) + ε), c1, c2 the bias corrections.
 */
export function adam(n: i32, w: usize, lr: f32, b1: f32, b2: f32, c1: f32, c2: f32, eps: f32): void {
  const nb = <usize>n << 2;
  const g = w + nb;
  const m = w + 2 * nb;
  const v = w + 3 * nb;
  const vb1 = f32x4.splat(b1), vb1c = f32x4.splat(<f32>1 - b1), vb2 = f32x4.splat(b2), vb2c = f32x4.splat(<f32>1 - b2);
  const step = f32x4.splat(lr * c1), vc2 = f32x4.splat(c2), veps = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vb1c, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(vb2c, f32x4.mul(gi, gi)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(step, mi), f32x4.add(f32x4.sqrt(f32x4.mul(vi, vc2)), veps))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = b1 * load<f32>(m + o) + (<f32>1 - b1) * gi;
    const vi = b2 * load<f32>(v + o) + (<f32>1 - b2) * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, load<f32>(w + o) - (lr * c1 * mi) / (sqrt<f32>(vi * c2) + eps));
  }
}

/** y[r, j] += b[j] for rows × n. */
export function addBias(rows: i32, n: i32, b: usize, y: usize): void {
  const nb = <usize>n << 2;
  for (let r = 0; r < rows; r++) {
    const o = y + <usize>r * nb;
    let j = 0;
    for (; j + 4 <= n; j += 4) v128.store(o + (<usize>j << 2), f32x4.add(v128.load(o + (<usize>j << 2)), v128.load(b + (<usize>j << 2))));
    for (; j < n; j++) store<f32>(o + (<usize>j << 2), load<f32>(o + (<usize>j << 2)) + load<f32>(b + (<usize>j << 2)));
  }
}

/** db[j] += Σ_r dy[r, j] for rows × n (four rows at a time, so each db vector is loaded once per four rows). */
export function addColumnSums(rows: i32, n: i32, dy: usize, db: usize): void {
  const nb = <usize>n << 2;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    let acc = v128.load(db + o);
    for (let r = 0; r < rows; r++) acc = f32x4.add(acc, v128.load(dy + <usize>r * nb + o));
    v128.store(db + o, acc);
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    let acc = load<f32>(db + o);
    for (let r = 0; r < rows; r++) acc += load<f32>(dy + <usize>r * nb + o);
    store<f32>(db + o, acc);
  }
}

/** x = max(x, 0) over n floats. */
export function relu(x: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(x + (<usize>i << 2), f32x4.max(v128.load(x + (<usize>i << 2)), zero));
  for (; i < n; i++) store<f32>(x + (<usize>i << 2), max(load<f32>(x + (<usize>i << 2)), <f32>0));
}

/** d = 0 where the ReLU's output y is 0 (its input was ≤ 0), over n floats. */
export function reluBackward(y: usize, d: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(d + o, v128.and(v128.load(d + o), f32x4.gt(v128.load(y + o), zero)));
  }
  for (; i < n; i++) if (load<f32>(y + (<usize>i << 2)) <= 0) store<f32>(d + (<usize>i << 2), 0);
}

/** out = max(a + b, 0) over n floats (a residual block's output). */
export function addRelu(a: usize, b: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.max(f32x4.add(v128.load(a + o), v128.load(b + o)), zero));
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), max(load<f32>(a + (<usize>i << 2)) + load<f32>(b + (<usize>i << 2)), <f32>0));
}
