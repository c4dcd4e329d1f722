import * as tf from '@tensorflow/tfjs';
import { benchmarkTrainingStep } from './benchmark.ts';
import { probeEngine } from './engine-probe.ts';
import { chooseBackend } from './choose.ts';
import { runGradientChecks } from './gradient-checks.ts';
import { DEFAULT_TIMEOUT_MS, ensureSomeBackend, useBackend, webgpuAdapter, withTimeout } from './register.ts';
import {
  BACKEND_NAMES,
  isSoftwareAdapter,
  type AdapterSummary,
  type BackendName,
  type BackendReport,
  type ChosenBackend,
  type ProbeOptions,
  type ProbeResult,
} from './types.ts';

// Cheap and likely winners first so their rows fill in quickly; a software WebGPU takes seconds to compile
// and can never be chosen, so it goes last, after the choice is already settled and announced.
const PROBE_ORDER: readonly BackendName[] = ['engine', 'wasm', 'cpu', 'webgl', 'webgpu'];
const BENCHMARK_LIMIT_MS = 30_000;
/** Backends that compile shaders: running the gradient checks costs ~0.5–1.5 s of compilation on SwiftShader. */
const SHADER_BACKENDS: ReadonlySet<BackendName> = new Set(['webgl', 'webgpu']);

// Measured here: the first WebGPU step on SwiftShader compiles shaders for 3–6 s and in about half the runs
// froze the page's painting for 1.3–2.7 s (the GPU process is busy), so it is measured only on request.
export const SOFTWARE_WEBGPU_NOT_MEASURED =
  'not benchmarked automatically: on a software adapter the first step compiles shaders for seconds and stalls page painting; select it to measure';

/** The WebGL renderer string tells SwiftShader/llvmpipe (software) from a real GPU. */
function webglRenderer(): AdapterSummary | undefined {
  try {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    if (!gl) return undefined;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const vendor = ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR);
    const renderer = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    return { vendor: String(vendor), description: `WebGL ${tf.env().getNumber('WEBGL_VERSION')}: ${String(renderer)}` };
  } catch {
    return undefined;
  }
}

/** Runs (or, when `run` is false, only looks up the kernels of) the gradient checks on the active backend. */
export async function checkGradients(report: BackendReport, run: boolean): Promise<void> {
  const g0 = performance.now();
  report.gradients = await runGradientChecks(run);
  report.gradientsMs = performance.now() - g0;
  const notes = (report.notes ?? []).filter((n) => !n.startsWith('cannot train '));
  for (const g of report.gradients) if (!g.ok) notes.push(`cannot train ${g.name}: ${g.error}`);
  report.notes = notes;
}

export interface ProbeBackendOptions {
  benchmark?: boolean;
  /** Run the gradient checks for real; otherwise only their kernels are looked up. Default: yes. */
  runGradients?: boolean;
  timeoutMs?: number;
  /** Adapter facts already fetched, to avoid a second requestAdapter(). */
  webgpu?: { adapter?: AdapterSummary; reason?: string };
}

/** Probes one backend and leaves it active when it is available. */
export async function probeBackend(name: BackendName, options: ProbeBackendOptions = {}): Promise<BackendReport> {
  if (name === 'engine') return probeEngine(options.benchmark ?? true);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const t0 = performance.now();
  const report: BackendReport = { name, available: false };
  const notes: string[] = [];
  if (name === 'webgpu') {
    const { adapter, reason } = options.webgpu ?? (await webgpuAdapter(timeoutMs));
    if (reason) return { ...report, reason };
    report.adapter = adapter;
    if (isSoftwareAdapter(adapter)) notes.push('software adapter (CPU emulation): never chosen automatically');
  }
  const i0 = performance.now();
  try {
    await useBackend(name, timeoutMs);
  } catch (e) {
    return { ...report, reason: (e as Error).message };
  }
  report.initMs = performance.now() - i0;
  report.available = true;
  if (name === 'webgl') report.adapter = webglRenderer();
  if (name === 'wasm') notes.push(`single-threaded ${(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'SIMD' : 'non-SIMD'} build`);
  report.notes = notes;
  if (options.benchmark ?? true) {
    try {
      report.benchmark = await withTimeout(benchmarkTrainingStep(), BENCHMARK_LIMIT_MS, `the ${name} benchmark`);
      if (report.benchmark.capped) notes.push(`benchmark capped: ${report.benchmark.capped}`);
    } catch (e) {
      report.available = false;
      report.reason = `initialises, but a training step failed: ${(e as Error).message}`;
    }
    await checkGradients(report, options.runGradients ?? true);
  }
  if (report.notes.length === 0) delete report.notes;
  report.probeMs = performance.now() - t0;
  return report;
}

/**
 * Fills in what the automatic probe left out for this backend (the benchmark of a software WebGPU, gradient
 * checks that were only looked up), on the active backend, which must be `report.name`.
 */
export async function completeReport(report: BackendReport): Promise<BackendReport> {
  if (!report.available) return report;
  if (report.name === 'engine') return report.benchmark ? report : probeEngine(true);
  const t0 = performance.now();
  if (!report.benchmark) {
    try {
      report.benchmark = await withTimeout(benchmarkTrainingStep(), BENCHMARK_LIMIT_MS, `the ${report.name} benchmark`);
      report.notes = (report.notes ?? []).filter((n) => n !== SOFTWARE_WEBGPU_NOT_MEASURED);
      if (report.benchmark.capped) report.notes.push(`benchmark capped: ${report.benchmark.capped}`);
    } catch (e) {
      report.available = false;
      report.reason = `initialises, but a training step failed: ${(e as Error).message}`;
      return report;
    }
  }
  if (!report.gradients || report.gradients.some((g) => !g.ran)) await checkGradients(report, true);
  report.probeMs = (report.probeMs ?? 0) + (performance.now() - t0);
  return report;
}

export interface ProbeAllOptions extends ProbeOptions {
  /** Called once the choice can no longer change, possibly before the last (never chosen) backend is probed. */
  onChosen?: (chosen: ChosenBackend) => void;
}

/**
 * Initialises every backend in turn and, when asked, times a training step and checks gradients. Gradient
 * checks run for real on CPU and WASM and on the chosen backend; on shader backends that were not chosen only
 * their kernels are looked up (running them is mostly shader compilation). A software WebGPU adapter is
 * initialised but not timed (see SOFTWARE_WEBGPU_NOT_MEASURED). Leaves the chosen backend active.
 */
export async function probeBackends(options: ProbeAllOptions = {}): Promise<BackendReport[]> {
  await ensureSomeBackend();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const benchmark = options.benchmark ?? true;
  const webgpu = await webgpuAdapter(timeoutMs);
  const webgpuChoosable = !webgpu.reason && !isSoftwareAdapter(webgpu.adapter);
  const byName = new Map<BackendName, BackendReport>();
  let announced = false;
  for (const name of PROBE_ORDER) {
    if (name === 'webgpu' && !webgpuChoosable && !announced) {
      announced = true;
      const pending: BackendReport = { name, available: !webgpu.reason, ...webgpu };
      options.onChosen?.(chooseBackend([...byName.values(), pending]));
    }
    const before = tf.memory().numTensors;
    const runGradients = !SHADER_BACKENDS.has(name);
    const software = name === 'webgpu' && !webgpu.reason && !webgpuChoosable;
    const report = await probeBackend(name, { benchmark: benchmark && !software, runGradients, timeoutMs, webgpu });
    if (software && report.available) {
      (report.notes ??= []).push(SOFTWARE_WEBGPU_NOT_MEASURED);
      if (benchmark) await checkGradients(report, false);
    }
    const leaked = tf.memory().numTensors - before;
    if (leaked !== 0) (report.notes ??= []).push(`${leaked} tensors left behind by the probe`);
    byName.set(name, report);
    options.onReport?.(report);
  }
  const reports = BACKEND_NAMES.map((n) => byName.get(n)!);
  const chosen = chooseBackend(reports).name;
  // The engine needs no tfjs backend; tfjs is left on the last one that worked.
  if (chosen !== 'engine') await useBackend(chosen, timeoutMs);
  const chosenReport = byName.get(chosen)!;
  if (benchmark && chosenReport.gradients?.some((g) => !g.ran)) {
    await checkGradients(chosenReport, true);
    options.onReport?.(chosenReport);
  }
  if (!announced) options.onChosen?.(chooseBackend(reports));
  return reports;
}

/** The probe plus the choice, leaving the chosen backend active. */
export async function runProbe(options: ProbeAllOptions = {}): Promise<ProbeResult> {
  const t0 = performance.now();
  await ensureSomeBackend();
  const before = tf.memory().numTensors;
  const reports = await probeBackends(options);
  const chosen = chooseBackend(reports);
  return { reports, chosen, totalMs: performance.now() - t0, tensors: { before, after: tf.memory().numTensors } };
}
