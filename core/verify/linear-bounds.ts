import type { ReluNet } from './relu-net.ts';

/**
 * Bounds on every hidden pre-activation of a ReLU MLP over a box of inputs, and the ReLU derivative each bound
 * settles: 1 (active on the whole box), 0 (inactive), or −1 (unstable: the derivative is 0 somewhere and 1
 * elsewhere). Two methods:
 *
 * - 'interval': interval bound propagation (IBP), layer by layer. What Ouroboros uses.
 * - 'linear': symbolic linear bounds carried forward (DeepPoly / Neurify style, CROWN's relaxation run in the
 *   forward direction): every neuron keeps a lower and an upper linear function of the inputs, L(x) ≤ z(x) ≤ U(x)
 *   on the box. A stable neuron passes its functions through; an unstable one (l < 0 < u) is relaxed by the
 *   triangle's chord above, relu(z) ≤ u·(z − l)/(u − l), and a line through the origin below, relu(z) ≥ α·z with
 *   α = 1 when u > −l else 0 (the tighter of the two, as CROWN and DeepPoly choose). The next layer combines them
 *   by the sign of each weight. Concretising L and U over the box gives the bounds; they are intersected with IBP's
 *   (never looser) and with the parent box's bounds when given (a sub-box's neurons stay within its parent's
 *   bounds). The verified lab's nets have few inputs (8) and wide layers (300–512), so carrying functions forward
 *   costs (inputs + 1) × a layer's weights, about what one evaluation of the network costs per input: far cheaper
 *   than CROWN's backward pass per neuron, and nearly as tight on two or three layers.
 *
 * Float64 throughout, with no directed rounding. Interval bounds are taken as computed (as Ouroboros does: a
 * neuron whose upper bound is exactly 0 is inactive). The linear bounds' longer sums of products are padded before
 * use by 1e-9 of the largest value the neuron's terms can reach over the spec box (`stabilityMargins`), far above
 * their rounding error, so rounding in them never makes an unstable neuron look stable.
 */
export type BoundMethod = 'interval' | 'linear';

export interface NetBounds {
  /** Pre-activation bounds per hidden layer. */
  readonly zLo: Float64Array[];
  readonly zHi: Float64Array[];
  /** Per hidden layer: 1 active on the box, 0 inactive, −1 unstable. */
  readonly masks: Int8Array[];
  /** Unstable neurons, all layers. */
  readonly unstable: number;
}

/** Per hidden neuron, the padding of its linear bounds against rounding (see the module comment). */
export interface StabilityMargins {
  readonly tol: Float64Array[];
}

/**
 * Margins from the largest magnitude of each neuron's terms over a box (the spec box: every sub-box's terms are
 * smaller): |b| + Σ|w|·max|a| layer by layer, times 1e-9.
 */
export function stabilityMargins(net: ReluNet, lo: ArrayLike<number>, hi: ArrayLike<number>): StabilityMargins {
  let mag = Float64Array.from({ length: net.inputs }, (_, i) => Math.max(Math.abs(lo[i]!), Math.abs(hi[i]!)));
  const tol: Float64Array[] = [];
  for (let l = 0; l + 1 < net.layers.length; l++) {
    const L = net.layers[l]!;
    const m = Float64Array.from(L.b, Math.abs);
    for (let i = 0; i < L.nIn; i++) {
      const v = mag[i]!;
      if (v === 0) continue;
      const row = i * L.nOut;
      for (let j = 0; j < L.nOut; j++) m[j]! += Math.abs(L.w[row + j]!) * v;
    }
    tol.push(m.map((v) => v * 1e-9));
    mag = m;
  }
  return { tol };
}

function maskOf(lo: number, hi: number): number {
  return lo > 0 ? 1 : hi <= 0 ? 0 : -1;
}

/** Interval bound propagation (Ouroboros's forward pass). */
export function intervalBounds(net: ReluNet, lo: ArrayLike<number>, hi: ArrayLike<number>): NetBounds {
  const zLo: Float64Array[] = [];
  const zHi: Float64Array[] = [];
  const masks: Int8Array[] = [];
  let unstable = 0;
  let aLo = Float64Array.from(lo);
  let aHi = Float64Array.from(hi);
  for (let l = 0; l + 1 < net.layers.length; l++) {
    const layer = net.layers[l]!;
    const [zl, zh] = intervalLayer(layer, aLo, aHi);
    const mask = new Int8Array(layer.nOut);
    for (let j = 0; j < layer.nOut; j++) {
      mask[j] = maskOf(zl[j]!, zh[j]!);
      if (mask[j] === -1) unstable++;
    }
    zLo.push(zl);
    zHi.push(zh);
    masks.push(mask);
    aLo = zl.map((v) => Math.max(0, v));
    aHi = zh.map((v) => Math.max(0, v));
  }
  return { zLo, zHi, masks, unstable };
}

function intervalLayer(layer: ReluNet['layers'][number], aLo: Float64Array, aHi: Float64Array): [Float64Array, Float64Array] {
  const zl = Float64Array.from(layer.b);
  const zh = Float64Array.from(layer.b);
  for (let i = 0; i < layer.nIn; i++) {
    const vl = aLo[i]!;
    const vh = aHi[i]!;
    if (vl === 0 && vh === 0) continue;
    const row = i * layer.nOut;
    for (let j = 0; j < layer.nOut; j++) {
      const w = layer.w[row + j]!;
      if (w >= 0) {
        zl[j]! += w * vl;
        zh[j]! += w * vh;
      } else {
        zl[j]! += w * vh;
        zh[j]! += w * vl;
      }
    }
  }
  return [zl, zh];
}

/**
 * Symbolic linear bounds (see the module comment). `margins`: the padding against rounding, from the spec box (computed
 * from this box when not given). `parent`: bounds of a box containing this one, intersected in.
 */
export function linearBounds(net: ReluNet, lo: ArrayLike<number>, hi: ArrayLike<number>, margins: StabilityMargins = stabilityMargins(net, lo, hi), parent?: NetBounds): NetBounds {
  const n = net.inputs;
  const S = n + 1; // n coefficients and a constant per linear function
  const zLo: Float64Array[] = [];
  const zHi: Float64Array[] = [];
  const masks: Int8Array[] = [];
  let unstable = 0;
  // Linear functions of the current layer's inputs (activations): aL[j·S + i], constant at i = n.
  let aL = new Float64Array(n * S);
  let aU = new Float64Array(n * S);
  for (let i = 0; i < n; i++) aL[i * S + i] = aU[i * S + i] = 1;
  let active = Int32Array.from({ length: n }, (_, i) => i);
  let ibpLo = Float64Array.from(lo);
  let ibpHi = Float64Array.from(hi);
  const concrete = (f: Float64Array, k: number, upper: boolean) => {
    let s = f[k * S + n]!;
    for (let i = 0; i < n; i++) {
      const c = f[k * S + i]!;
      s += (c >= 0) === upper ? c * hi[i]! : c * lo[i]!;
    }
    return s;
  };
  for (let l = 0; l + 1 < net.layers.length; l++) {
    const layer = net.layers[l]!;
    const m = layer.nOut;
    const zl = new Float64Array(m * S);
    const zu = new Float64Array(m * S);
    for (let j = 0; j < m; j++) zl[j * S + n] = zu[j * S + n] = layer.b[j]!;
    for (const j of active) {
      const row = j * m;
      const oL = j * S;
      for (let k = 0; k < m; k++) {
        const w = layer.w[row + k]!;
        if (w === 0) continue;
        const oK = k * S;
        if (w > 0) {
          for (let i = 0; i < S; i++) {
            zl[oK + i]! += w * aL[oL + i]!;
            zu[oK + i]! += w * aU[oL + i]!;
          }
        } else {
          for (let i = 0; i < S; i++) {
            zl[oK + i]! += w * aU[oL + i]!;
            zu[oK + i]! += w * aL[oL + i]!;
          }
        }
      }
    }
    const [il, ih] = intervalLayer(layer, ibpLo, ibpHi);
    const bl = new Float64Array(m);
    const bh = new Float64Array(m);
    const tol = margins.tol[l]!;
    const mask = new Int8Array(m);
    const nextL = new Float64Array(m * S);
    const nextU = new Float64Array(m * S);
    const nextActive: number[] = [];
    for (let k = 0; k < m; k++) {
      const pad = tol[k]!;
      let a = Math.max(concrete(zl, k, false) - pad, il[k]!);
      let b = Math.min(concrete(zu, k, true) + pad, ih[k]!);
      if (parent) {
        a = Math.max(a, parent.zLo[l]![k]!);
        b = Math.min(b, parent.zHi[l]![k]!);
      }
      bl[k] = a;
      bh[k] = b;
      const s = maskOf(a, b);
      mask[k] = s;
      const o = k * S;
      if (s === 0) continue;
      nextActive.push(k);
      if (s === 1) {
        for (let i = 0; i < S; i++) {
          nextL[o + i] = zl[o + i]!;
          nextU[o + i] = zu[o + i]!;
        }
        continue;
      }
      unstable++;
      // Unstable: chord above, α·z below.
      const lam = b / (b - a);
      for (let i = 0; i < S; i++) nextU[o + i] = lam * zu[o + i]!;
      nextU[o + n]! -= lam * a;
      if (b > -a) for (let i = 0; i < S; i++) nextL[o + i] = zl[o + i]!;
    }
    zLo.push(bl);
    zHi.push(bh);
    masks.push(mask);
    aL = nextL;
    aU = nextU;
    active = Int32Array.from(nextActive);
    ibpLo = bl.map((v) => Math.max(0, v));
    ibpHi = bh.map((v) => Math.max(0, v));
  }
  return { zLo, zHi, masks, unstable };
}

/** Which bounds a method gives. */
export function netBounds(method: BoundMethod, net: ReluNet, lo: ArrayLike<number>, hi: ArrayLike<number>, margins?: StabilityMargins, parent?: NetBounds): NetBounds {
  return method === 'interval' ? intervalBounds(net, lo, hi) : linearBounds(net, lo, hi, margins, parent);
}

/**
 * Interval bounds on ∂f/∂x_i for every input, given each hidden neuron's ReLU derivative (1, 0, or unstable: the
 * interval [0, 1]). Backward from the output weights: δ over a layer's outputs, masked, then through its weights by
 * interval arithmetic. Sound for every (sub)gradient of every point whose activation pattern the masks allow.
 */
export function gradientFromMasks(net: ReluNet, masks: readonly Int8Array[]): { lo: Float64Array; hi: Float64Array } {
  const b = backwardIntervals(net, masks);
  return { lo: b.gLo, hi: b.gHi };
}

/**
 * The backward pass of gradientFromMasks, keeping for every hidden layer l the interval of ∂f/∂a_l (the gradient
 * reaching the layer's outputs, before its ReLU derivative): what the MILP's products of a binary and that value
 * are linearised with.
 */
export function backwardIntervals(net: ReluNet, masks: readonly Int8Array[]): { rLo: Float64Array[]; rHi: Float64Array[]; gLo: Float64Array; gHi: Float64Array } {
  const L = net.layers.length;
  const last = net.layers[L - 1]!;
  const rLo: Float64Array[] = new Array(L - 1);
  const rHi: Float64Array[] = new Array(L - 1);
  let dLo = Float64Array.from({ length: last.nIn }, (_, i) => last.w[i]!);
  let dHi = Float64Array.from(dLo);
  for (let l = L - 2; l >= 0; l--) {
    rLo[l] = Float64Array.from(dLo);
    rHi[l] = Float64Array.from(dHi);
    const mask = masks[l]!;
    for (let j = 0; j < mask.length; j++) {
      if (mask[j] === 0) {
        dLo[j] = 0;
        dHi[j] = 0;
      } else if (mask[j] === -1) {
        dLo[j] = Math.min(0, dLo[j]!);
        dHi[j] = Math.max(0, dHi[j]!);
      }
    }
    const layer = net.layers[l]!;
    const pLo = new Float64Array(layer.nIn);
    const pHi = new Float64Array(layer.nIn);
    for (let i = 0; i < layer.nIn; i++) {
      const row = i * layer.nOut;
      let sl = 0;
      let sh = 0;
      for (let j = 0; j < layer.nOut; j++) {
        const lo = dLo[j]!;
        const hi = dHi[j]!;
        if (lo === 0 && hi === 0) continue;
        const w = layer.w[row + j]!;
        if (w >= 0) {
          sl += w * lo;
          sh += w * hi;
        } else {
          sl += w * hi;
          sh += w * lo;
        }
      }
      pLo[i] = sl;
      pHi[i] = sh;
    }
    dLo = pLo;
    dHi = pHi;
  }
  return { rLo, rHi, gLo: dLo, gHi: dHi };
}
