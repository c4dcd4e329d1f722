/**
 * Types and names shared by the compute workers and the UI. No TensorFlow.js import here: the app's main
 * bundle imports this file and must not pull tfjs in.
 */
export type BackendName = 'engine' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** tfjs backends; 'engine' is core/engine, the hand-written CPU engine (no TensorFlow.js). */
export type TfjsBackendName = Exclude<BackendName, 'engine'>;

export const BACKEND_NAMES: readonly BackendName[] = ['engine', 'webgpu', 'webgl', 'wasm', 'cpu'];

export const BACKEND_LABELS: Record<BackendName, string> = {
  engine: 'Engine (CPU)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'tfjs WASM',
  cpu: 'tfjs CPU',
};

export interface AdapterSummary {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export interface BenchmarkResult {
  /** The step that was timed, in words. */
  what: string;
  msPerStep: number;
  stepsPerSecond: number;
  /** Steps in the timed window (after warm-up). */
  steps: number;
  /** The first step alone: shader compilation and kernel set-up land here. */
  firstStepMs: number;
  /** Why the run was cut short, when it was. */
  capped?: string;
}

/** One gradient the later models rely on, run once on this backend. */
export interface GradientCheck {
  name: string;
  /** False when only the gradient kernels were looked up, not run (see probeBackends). */
  ran: boolean;
  ok: boolean;
  error?: string;
}

export interface BackendReport {
  name: BackendName;
  available: boolean;
  /** Why the backend is unavailable, or what limits it, in words. */
  reason?: string;
  adapter?: AdapterSummary;
  initMs?: number;
  /** Wall time of this backend's whole probe: init, benchmark and gradient checks. */
  probeMs?: number;
  gradientsMs?: number;
  benchmark?: BenchmarkResult;
  gradients?: GradientCheck[];
  /** Kernel gaps and other caveats, in words. */
  notes?: string[];
}

export interface ChosenBackend {
  name: BackendName;
  why: string;
}

export interface ProbeOptions {
  benchmark?: boolean;
  /** Limit for initialising one backend. */
  timeoutMs?: number;
  onReport?: (report: BackendReport) => void;
}

export interface ProbeResult {
  reports: BackendReport[];
  chosen: ChosenBackend;
  totalMs: number;
  /** tf.memory().numTensors before and after the probe: equal unless something leaked. */
  tensors: { before: number; after: number };
}

export function isSoftwareAdapter(adapter: AdapterSummary | undefined): boolean {
  if (!adapter) return false;
  return adapter.isFallbackAdapter === true || /swiftshader/i.test(`${adapter.architecture ?? ''} ${adapter.description ?? ''} ${adapter.vendor ?? ''}`);
}
