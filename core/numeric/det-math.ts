/**
 * exp, log and log1p in plain double arithmetic (+ − × ÷ only, each exactly rounded by IEEE 754), so they give the
 * same bits on every JavaScript engine. Math.exp and Math.log do not: Node 20's V8 and Chromium 156's differ in the
 * last bit on 5–10 % of arguments, which is harmless for a continuous result but flips a boosted tree's split or a
 * change point's argmax, so the fingerprint lab gave other figures in the browser than `tlab run` for the same spec.
 * The algorithms are the classic fdlibm ones (argument reduction by ln 2, a minimax polynomial on the remainder);
 * the tests hold them to within 1 ulp of the platform's.
 */

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.65339022054652515390e-6;
const P5 = 4.13813679705723846039e-8;
const EXP_MAX = 709.782712893383973096;
const EXP_MIN = -745.13321910194110842;

const scratch = new DataView(new ArrayBuffer(8));

/** 2^k for an integer k in [−1022, 1023], built from its bits (exact). */
function pow2(k: number): number {
  scratch.setUint32(0, (k + 1023) << 20);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/** 2^k · v, exact while the result is normal; two steps reach the subnormal and overflow ends. */
function scale(v: number, k: number): number {
  if (k > 1023) return v * pow2(1023) * pow2(k - 1023);
  if (k < -1022) return v * pow2(-1022) * pow2(k + 1022);
  return v * pow2(k);
}

export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > EXP_MAX) return Infinity;
  if (x < EXP_MIN) return 0;
  if (x === 0) return 1;
  // x = k·ln2 + r, |r| ≤ ln2 / 2, with ln2 in two parts so that hi − k·LN2_HI is exact.
  const k = Math.round(x * INV_LN2);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return k === 0 ? y : scale(y, k);
}

const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;
const SQRT2 = 1.41421356237309504880;

export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  // x = 2^k · m with m in [1, 2) from the bits (subnormals first scaled up by 2^54).
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984;
    k = -54;
  }
  scratch.setFloat64(0, x);
  const hiWord = scratch.getUint32(0);
  k += (hiWord >>> 20) - 1023;
  scratch.setUint32(0, (hiWord & 0x000fffff) | 0x3ff00000);
  let m = scratch.getFloat64(0);
  // m in [√2/2, √2): f = m − 1 is small, so log(1 + f) converges fast.
  if (m > SQRT2) {
    m /= 2;
    k += 1;
  }
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  const hfsq = 0.5 * f * f;
  return k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
}

/** log(1 + x), accurate for small x: log(u)·x/(u − 1) with u = 1 + x cancels u's rounding (Goldberg). */
export function log1p(x: number): number {
  const u = 1 + x;
  if (u === 1) return x;
  if (u === Infinity) return Infinity;
  return (log(u) * x) / (u - 1);
}
