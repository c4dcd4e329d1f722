import { describe, expect, it } from 'vitest';
import { chooseBackend } from './choose.ts';
import type { BackendReport } from './types.ts';

const bench = (msPerStep: number) => ({ what: 'step', msPerStep, stepsPerSecond: 1000 / msPerStep, steps: 10, firstStepMs: msPerStep });
const swiftshader = { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true };

describe('chooseBackend', () => {
  it('picks the fastest measured backend and says why, skipping a software WebGPU even when it is fastest', () => {
    const reports: BackendReport[] = [
      { name: 'webgpu', available: true, adapter: swiftshader, benchmark: bench(1) },
      { name: 'webgl', available: true, benchmark: bench(9.8) },
      { name: 'wasm', available: true, benchmark: bench(4.1) },
      { name: 'cpu', available: true, benchmark: bench(31) },
    ];
    const c = chooseBackend(reports);
    expect(c.name).toBe('wasm');
    expect(c.why).toBe('tfjs WASM: fastest measured, 4.1 ms/step vs WebGL 9.8, tfjs CPU 31; WebGPU skipped: software adapter (SwiftShader)');
  });

  it('takes a real WebGPU adapter when it measures fastest', () => {
    const reports: BackendReport[] = [
      { name: 'webgpu', available: true, adapter: { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: false }, benchmark: bench(0.8) },
      { name: 'wasm', available: true, benchmark: bench(4.1) },
      { name: 'cpu', available: true, benchmark: bench(31) },
    ];
    expect(chooseBackend(reports).name).toBe('webgpu');
  });

  it('falls back to the default order without measurements and names unavailable backends and kernel gaps', () => {
    const reports: BackendReport[] = [
      { name: 'webgpu', available: false, reason: 'no adapter' },
      { name: 'webgl', available: true },
      { name: 'wasm', available: true, gradients: [{ name: 'conv2d', ran: false, ok: false, error: 'no kernel' }] },
      { name: 'cpu', available: true },
    ];
    const c = chooseBackend(reports);
    expect(c.name).toBe('wasm');
    expect(c.why).toContain('nothing measured');
    expect(c.why).toContain('WebGPU unavailable: no adapter');
    expect(c.why).toContain('tfjs WASM cannot train conv2d');
  });

  it('picks the engine when it measures fastest, and falls back to it before tfjs when nothing was measured', () => {
    const measured: BackendReport[] = [
      { name: 'engine', available: true, benchmark: bench(0.6) },
      { name: 'wasm', available: true, benchmark: bench(4.1) },
      { name: 'webgpu', available: true, adapter: swiftshader, benchmark: bench(0.5) },
    ];
    expect(chooseBackend(measured).why).toBe('Engine (CPU): fastest measured, 0.6 ms/step vs tfjs WASM 4.1; WebGPU skipped: software adapter (SwiftShader)');
    const unmeasured: BackendReport[] = [
      { name: 'engine', available: true },
      { name: 'webgpu', available: false, reason: 'no adapter' },
      { name: 'wasm', available: true },
    ];
    expect(chooseBackend(unmeasured).name).toBe('engine');
  });
});
