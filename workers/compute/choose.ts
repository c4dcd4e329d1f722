import { BACKEND_LABELS, isSoftwareAdapter, type BackendName, type BackendReport, type ChosenBackend } from './types.ts';

/** Used only when nothing was measured: a real GPU first, then the engine, then tfjs in the order measured on CPU-only machines. */
const FALLBACK_ORDER: readonly BackendName[] = ['webgpu', 'engine', 'wasm', 'webgl', 'cpu'];

/** Two significant digits: the ratios matter, not the noise in the third digit. */
function ms(v: number): string {
  return v >= 100 ? v.toFixed(0) : String(Number(v.toPrecision(2)));
}

function failedGradients(r: BackendReport): string[] {
  return (r.gradients ?? []).filter((g) => !g.ok).map((g) => g.name);
}

/**
 * Picks the fastest measured backend. A software WebGPU adapter (fallback / SwiftShader) is never picked
 * automatically: it is a CPU emulation that measured 9–17x slower than WASM, with multi-second first steps.
 */
export function chooseBackend(reports: readonly BackendReport[]): ChosenBackend {
  const skipped: string[] = [];
  const candidates = reports.filter((r) => {
    if (!r.available) return false;
    if (r.name === 'webgpu' && isSoftwareAdapter(r.adapter)) {
      const arch = r.adapter?.architecture ? ` (${r.adapter.architecture === 'swiftshader' ? 'SwiftShader' : r.adapter.architecture})` : '';
      skipped.push(`WebGPU skipped: software adapter${arch}`);
      return false;
    }
    return true;
  });
  for (const r of reports) if (!r.available) skipped.push(`${BACKEND_LABELS[r.name]} unavailable${r.reason ? `: ${r.reason}` : ''}`);

  const measured = candidates.filter((r) => r.benchmark && r.benchmark.msPerStep > 0);
  measured.sort((a, b) => a.benchmark!.msPerStep - b.benchmark!.msPerStep);
  let name: BackendName;
  let head: string;
  if (measured.length > 0) {
    const best = measured[0]!;
    name = best.name;
    const others = measured.slice(1).map((r) => `${BACKEND_LABELS[r.name]} ${ms(r.benchmark!.msPerStep)}`);
    head = `${BACKEND_LABELS[name]}: fastest measured, ${ms(best.benchmark!.msPerStep)} ms/step${others.length ? ` vs ${others.join(', ')}` : ''}`;
  } else {
    const byOrder = FALLBACK_ORDER.map((n) => candidates.find((r) => r.name === n)).find((r) => r !== undefined);
    name = byOrder?.name ?? 'engine';
    head = byOrder
      ? `${BACKEND_LABELS[name]}: first available in the default order (nothing measured)`
      : `${BACKEND_LABELS.engine}: nothing else is available`;
  }
  const gaps = failedGradients(reports.find((r) => r.name === name) ?? { name, available: false });
  const parts = [head, ...skipped];
  if (gaps.length) parts.push(`note: ${BACKEND_LABELS[name]} cannot train ${gaps.join(', ')}`);
  return { name, why: parts.join('; ') };
}
