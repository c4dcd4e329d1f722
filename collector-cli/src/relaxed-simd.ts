import { setFlagsFromString } from 'node:v8';

/**
 * Node 20's V8 ships WebAssembly relaxed SIMD behind a flag (Chromium enables it by default); the engine's fused
 * multiply-add kernels need it. Setting the flag before the first module is compiled is enough, so the CLI, the
 * bench and the unit tests call this first: then Node and Chromium run the same kernels and give the same numbers.
 */
export function enableRelaxedSimd(): void {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}
