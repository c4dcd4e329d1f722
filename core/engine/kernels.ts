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
}

type GemmExport = (M: number, N: number, K: number, a: number, rsA: number, csA: number, b: number, ldb: number, c: number, ldc: number, acc: number) => void;

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
      // Both modules are under 4 KB, the limit for synchronous compilation on a browser's main thread.
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
  const gemm = instance.exports.gemm as GemmExport;
  return {
    name,
    gemm: (M, N, K, a, rsA, csA, b, ldb, c, ldc, accumulate) => gemm(M, N, K, a << 2, rsA, csA, b << 2, ldb, c << 2, ldc, accumulate ? 1 : 0),
  };
}

/** The same contract in plain JS, over a heap the arena hands in on each call (it may be replaced when it grows). */
export function jsKernels(heap: () => Float32Array): Kernels {
  return {
    name: 'js',
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
