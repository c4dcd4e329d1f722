/**
 * Worker-side compute backend API: training workers import this to register the tfjs backends and switch to
 * the one the user (or the probe) chose. Only for workers: it pulls in all of TensorFlow.js.
 */
export type { AdapterSummary, BackendName, BackendReport, BenchmarkResult, ChosenBackend, GradientCheck, ProbeOptions, ProbeResult } from './types.ts';
export { BACKEND_LABELS, BACKEND_NAMES, isSoftwareAdapter } from './types.ts';
export { chooseBackend } from './choose.ts';
export { ensureSomeBackend, registerBackends, useBackend, DEFAULT_TIMEOUT_MS } from './register.ts';
export { checkGradients, completeReport, SOFTWARE_WEBGPU_NOT_MEASURED, probeBackend, probeBackends, runProbe, type ProbeAllOptions, type ProbeBackendOptions } from './probe.ts';
export { benchmarkTrainingStep, BENCHMARK_WHAT } from './benchmark.ts';
export { runGradientChecks } from './gradient-checks.ts';
