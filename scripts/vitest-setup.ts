// Every Vitest worker: the engine's relaxed-SIMD kernels need V8's flag before any WebAssembly compiles.
import { enableRelaxedSimd } from '../collector-cli/src/relaxed-simd.ts';

enableRelaxedSimd();
