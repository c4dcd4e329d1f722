import { lstmCellBackwardJs, lstmCellForwardJs } from './lstm-cell-js.ts';
import { KERNELS_RELAXED_SIMD_BASE64, KERNELS_SIMD_BASE64 } from './wasm/kernels-wasm-bytes.ts';

/**
 * The engine's hot loops. Every tensor lives in one Float32 heap per model (an Arena) and is named by its offset
 * in floats, so the same calls run on WASM linear memory (the SIMD kernels) or a plain Float32Array (the JS
 * fallback for runtimes without WASM SIMD).
 */
export type KernelName = 'wasm-relaxed-simd' | 'wasm-simd' | 'js';

export const KERNEL_NAMES: readonly KernelName[] = ['wasm-relaxed-simd', 'wasm-simd', 'js'];

export interface Kernels {
  readonly name: KernelName;
  /**
   * C[M×N] = A·B (or += with `accumulate`). A(i,k) is at a + i·rsA + k·csA, so Aᵀ is the same call with the
   * strides swapped; B is row-major [K×N] with row stride ldb; C has row stride ldc. Offsets are in floats.
   */
  gemm(M: number, N: number, K: number, a: number, rsA: number, csA: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean): void;
  /** One LSTM step's gates, fused (see ops.ts lstmCellForwardJs for the maths). */
  lstmCellForward(B: number, H: number, z: number, cPrev: number, c: number, h: number): void;
  lstmCellBackward(B: number, H: number, gates: number, cPrev: number, c: number, dh: number, dc: number, dz: number): void;
  /** Adam over the n parameters of a Params block at w (values, gradients, moments; c1, c2 the bias corrections). */
  adam(n: number, w: number, lr: number, b1: number, b2: number, c1: number, c2: number, eps: number): void;
  /** y[r, j] += b[j] over rows × n. */
  addBias(rows: number, n: number, b: number, y: number): void;
  /** db[j] += Σ_r dy[r, j] over rows × n. */
  addColumnSums(rows: number, n: number, dy: number, db: number): void;
  /** x = max(x, 0) over n floats. */
  relu(x: number, n: number): void;
  /** d = 0 where y (a ReLU's output) is ≤ 0. */
  reluBackward(y: number, d: number, n: number): void;
  /** out = max(a + b, 0). */
  addRelu(a: number, b: number, out: number, n: number): void;
}

/** The module's exports: the same calls as Kernels, with byte addresses and 0/1 for booleans. */
type KernelExports = { [K in Exclude<keyof Kernels, 'name'>]: (...args: number[]) => void };

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const compiled = new Map<KernelName, WebAssembly.Module | null>();

/** The compiled module for a WASM kernel set, or null where this runtime cannot run it (no SIMD / relaxed SIMD). */
function wasmModule(name: 'wasm-relaxed-simd' | 'wasm-simd'): WebAssembly.Module | null {
  if (!compiled.has(name)) {
    let m: WebAssembly.Module | null = null;
    try {
      const bytes = decodeBase64(name === 'wasm-simd' ? KERNELS_SIMD_BASE64 : KERNELS_RELAXED_SIMD_BASE64);
      // Synchronous compilation: fine in Node and in workers, where the engine runs (a browser's main thread
      // would refuse a module over 4 KB, and never trains).
      m = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      m = null;
    }
    compiled.set(name, m);
  }
  return compiled.get(name)!;
}

export function kernelAvailable(name: KernelName): boolean {
  return name === 'js' || (typeof WebAssembly !== 'undefined' && wasmModule(name) !== null);
}

/** The fastest kernel set this runtime runs: relaxed SIMD (fused multiply-add), then SIMD, then plain JS. */
export function bestKernel(): KernelName {
  return KERNEL_NAMES.find(kernelAvailable)!;
}

/** WASM kernels bound to `memory` (the arena's heap). */
export function wasmKernels(name: 'wasm-relaxed-simd' | 'wasm-simd', memory: WebAssembly.Memory): Kernels {
  const module = wasmModule(name);
  if (!module) throw new Error(`this runtime cannot run the ${name} kernels (no WebAssembly ${name === 'wasm-simd' ? 'SIMD' : 'relaxed SIMD'})`);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const k = instance.exports as unknown as KernelExports;
  return {
    name,
    gemm: (M, N, K, a, rsA, csA, b, ldb, c, ldc, accumulate) => k.gemm(M, N, K, a << 2, rsA, csA, b << 2, ldb, c << 2, ldc, accumulate ? 1 : 0),
    lstmCellForward: (B, H, z, cPrev, c, h) => k.lstmCellForward(B, H, z << 2, cPrev << 2, c << 2, h << 2),
    lstmCellBackward: (B, H, gates, cPrev, c, dh, dc, dz) => k.lstmCellBackward(B, H, gates << 2, cPrev << 2, c << 2, dh << 2, dc << 2, dz << 2),
    adam: (n, w, lr, b1, b2, c1, c2, eps) => k.adam(n, w << 2, lr, b1, b2, c1, c2, eps),
    addBias: (rows, n, b, y) => k.addBias(rows, n, b << 2, y << 2),
    addColumnSums: (rows, n, dy, db) => k.addColumnSums(rows, n, dy << 2, db << 2),
    relu: (x, n) => k.relu(x << 2, n),
    reluBackward: (y, d, n) => k.reluBackward(y << 2, d << 2, n),
    addRelu: (a, b, out, n) => k.addRelu(a << 2, b << 2, out << 2, n),
  };
}

/** The same contract in plain JS, over a heap the arena hands in on each call (it may be replaced when it grows). */
export function jsKernels(heap: () => Float32Array): Kernels {
  return {
    name: 'js',
    lstmCellForward: (B, H, z, cPrev, c, h) => lstmCellForwardJs(heap(), B, H, z, cPrev, c, h),
    lstmCellBackward: (B, H, gates, cPrev, c, dh, dc, dz) => lstmCellBackwardJs(heap(), B, H, gates, cPrev, c, dh, dc, dz),
    adam(n, w, lr, b1, b2, c1, c2, eps) {
      const h = heap();
      const g = w + n;
      const m = w + 2 * n;
      const v = w + 3 * n;
      for (let i = 0; i < n; i++) {
        const gi = h[g + i]!;
        const mi = b1 * h[m + i]! + (1 - b1) * gi;
        const vi = b2 * h[v + i]! + (1 - b2) * gi * gi;
        h[m + i] = mi;
        h[v + i] = vi;
        h[w + i]! -= (lr * c1 * mi) / (Math.sqrt(vi * c2) + eps);
      }
    },
    addBias(rows, n, b, y) {
      const h = heap();
      for (let r = 0; r < rows; r++) {
        const o = y + r * n;
        for (let j = 0; j < n; j++) h[o + j]! += h[b + j]!;
      }
    },
    addColumnSums(rows, n, dy, db) {
      const h = heap();
      for (let r = 0; r < rows; r++) {
        const o = dy + r * n;
        for (let j = 0; j < n; j++) h[db + j]! += h[o + j]!;
      }
    },
    relu(x, n) {
      const h = heap();
      for (let i = x, end = x + n; i < end; i++) if (h[i]! < 0) h[i] = 0;
    },
    reluBackward(y, d, n) {
      const h = heap();
      for (let i = 0; i < n; i++) if (h[y + i]! <= 0) h[d + i] = 0;
    },
    addRelu(a, b, out, n) {
      const h = heap();
      for (let i = 0; i < n; i++) {
        const v = h[a + i]! + h[b + i]!;
        h[out + i] = v > 0 ? v : 0;
      }
    },
    gemm(M, N, K, a, rsA, csA, b, ldb, c, ldc, accumulate) {
      const h = heap();
      for (let i = 0; i < M; i++) {
        const crow = c + i * ldc;
        if (!accumulate) h.fill(0, crow, crow + N);
        const arow = a + i * rsA;
        for (let k = 0; k < K; k++) {
          const av = h[arow + k * csA]!;
          if (av === 0) continue;
          const brow = b + k * ldb;
          for (let j = 0; j < N; j++) h[crow + j]! += av * h[brow + j]!;
        }
      }
    },
  };
}
