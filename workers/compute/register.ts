import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Vite resolves these to served (dev) or emitted (build) URLs; the threaded build is left out on purpose:
// it needs cross-origin isolation, hangs in a minified module worker and did not help on 2 cores.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import type { AdapterSummary, TfjsBackendName } from './types.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

let registered = false;
let lastGood: TfjsBackendName | null = null;

/** Idempotent: imports register the backends; this points WASM at its binaries and pins it single-threaded. */
export function registerBackends(): void {
  if (registered) return;
  registered = true;
  // Pinned so that adding COOP/COEP headers later cannot silently switch to the threaded binary.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    // setWasmPaths demands all three; with threads pinned off this is never fetched, and if it ever were, the
    // 404 on this name says why instead of a silent hang.
    'tfjs-backend-wasm-threaded-simd.wasm': 'threaded-wasm-is-disabled-in-telemetry-lab.wasm',
  });
}

export class TimeoutError extends Error {}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

interface EngineInternals {
  pendingBackendInit: Promise<boolean> | null;
  pendingBackendInitId: number;
}

/**
 * After a timed-out async init tfjs refuses every op until that init settles, and a late success would then
 * make itself the active backend. Bumping the id makes tfjs treat the late result as outdated; clearing the
 * pending promise makes the engine usable again. Private fields of tfjs-core 4.22's Engine.
 */
function abandonPendingInit(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (typeof engine.pendingBackendInitId === 'number') engine.pendingBackendInitId++;
  engine.pendingBackendInit = null;
}

/** Adapter facts from the page's own request, so a missing or software adapter can be named in words. */
export async function webgpuAdapter(timeoutMs: number): Promise<{ adapter?: AdapterSummary; reason?: string }> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { reason: 'navigator.gpu is missing (WebGPU disabled or unsupported in this browser)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await withTimeout(gpu.requestAdapter(), timeoutMs, 'requestAdapter()');
  } catch (e) {
    return { reason: `requestAdapter() failed: ${(e as Error).message}` };
  }
  if (!adapter) return { reason: 'no WebGPU adapter (requestAdapter() returned null; Chromium needs a GPU or --enable-unsafe-webgpu)' };
  // Older Chromium put isFallbackAdapter on the adapter, newer on adapter.info.
  const info = adapter.info as Partial<GPUAdapterInfo> | undefined;
  const legacy = adapter as unknown as { isFallbackAdapter?: boolean };
  return {
    adapter: {
      vendor: info?.vendor || undefined,
      architecture: info?.architecture || undefined,
      description: info?.description || undefined,
      isFallbackAdapter: info?.isFallbackAdapter ?? legacy.isFallbackAdapter,
    },
  };
}

/**
 * Any tfjs call (even tf.memory()) before a backend is set makes tfjs start its highest-priority backend,
 * WebGPU, which is slow or absent here; CPU is synchronous and always there.
 */
export async function ensureSomeBackend(): Promise<void> {
  if (lastGood === null) await useBackend('cpu');
}

/** Makes `name` the active tfjs backend, or throws an Error that says why not. */
export async function useBackend(name: TfjsBackendName, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  registerBackends();
  // tf.getBackend() alone is not enough: a failed setBackend leaves its name there with no instance behind it.
  if (lastGood === name && tf.getBackend() === name) return;
  try {
    await switchTo(name, timeoutMs);
    lastGood = name;
  } catch (e) {
    // Go back to the backend that worked, so ops keep running on something known.
    if (lastGood && lastGood !== name) await tf.setBackend(lastGood);
    throw e;
  }
}

async function switchTo(name: TfjsBackendName, timeoutMs: number): Promise<void> {
  if (name === 'webgpu') {
    const { reason } = await webgpuAdapter(timeoutMs);
    if (reason) throw new Error(`WebGPU backend unavailable: ${reason}`);
  }
  let ok: boolean;
  try {
    ok = await withTimeout(tf.setBackend(name), timeoutMs, `initialising the ${name} backend`);
  } catch (e) {
    if (e instanceof TimeoutError) abandonPendingInit();
    throw new Error(`The ${name} backend failed to initialise: ${(e as Error).message}`);
  }
  if (!ok) throw new Error(`The ${name} backend failed to initialise (tf.setBackend returned false; see the console for tfjs's warning)`);
  // A module-level check so a caller cannot believe it runs on `name` while tfjs fell back elsewhere.
  if (tf.getBackend() !== name) throw new Error(`Asked for ${name} but tfjs is on ${tf.getBackend()}`);
}
