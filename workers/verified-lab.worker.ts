import * as Comlink from 'comlink';
import { recheckCertificate, parseVerifiedModelFile } from '../core/verified-lab/certificate.ts';
import { buildVerifiedDataset } from '../core/verified-lab/dataset.ts';
import { correlate, runVerifiedExperiment } from '../core/verified-lab/experiment.ts';
import { parseVerifiedSpec } from '../core/verified-lab/spec.ts';
import highsWasm from 'highs/runtime?url';
import { loadHighsSolver, milpLoadError } from '../core/verify/highs-solver.ts';
import { selectCompute } from './compute/select.ts';
import { acceptLoaderPort, readLabBundle, sourceName } from './lab-bundles.ts';
import type { VerifiedLabApi } from './verified-lab/protocol.ts';
import { tablesOf } from './lab-bundles/tables-of.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function read(sources: Parameters<VerifiedLabApi['listing']>[0]) {
  const out = [];
  for (const s of sources) out.push({ label: sourceName(s), bundle: await readLabBundle(s) });
  return out;
}

const api: VerifiedLabApi = {
  async listing(sources, target, warmupIntervals) {
    try {
      const data = buildVerifiedDataset(await read(sources), warmupIntervals);
      const metrics = data.metrics.map((m) => {
        const v = data.values.get(m.id)!;
        let min = Infinity;
        let max = -Infinity;
        let read = 0;
        for (const x of v) {
          if (!Number.isFinite(x)) continue;
          read++;
          if (x < min) min = x;
          if (x > max) max = x;
        }
        return { ...m, min, max, coverage: v.length > 0 ? read / v.length : 0 };
      });
      return {
        ok: true,
        services: data.services.map((name) => ({ name, rows: data.service.filter((s) => s === name).length })),
        metrics,
        configurations: data.configurations,
        correlations: correlate(data, target),
        dropped: data.dropped,
      };
    } catch (e) {
      return { ok: false, message: message(e) };
    }
  },

  async run(specInput, sources, onProgress) {
    try {
      const spec = parseVerifiedSpec(specInput);
      // The lab trains on the engine whatever the page chose for other labs: its verifier works on the engine's MLP.
      await selectCompute('engine');
      // The verifier's exact step: HiGHS as a WASM asset of this build. Without it, what bounds cannot settle stays unknown.
      if (!(await loadHighsSolver({ locateFile: () => highsWasm }))) onProgress({ phase: 'data', fraction: 0, message: `the MILP solver did not load (${milpLoadError()}): boxes the bounds cannot settle will be reported unknown` });
      onProgress({ phase: 'data', fraction: 0, message: `reading ${sources.map(sourceName).join(', ')}` });
      const bundles = await read(sources);
      return { ok: true, results: runVerifiedExperiment(spec, bundles, { onProgress }) };
    } catch (e) {
      return { ok: false, message: message(e) };
    }
  },

  async recheck(model) {
    try {
      const file = parseVerifiedModelFile(model);
      await loadHighsSolver({ locateFile: () => highsWasm });
      return recheckCertificate(file.weights.map((w) => ({ name: w.name, shape: [...w.shape], data: Float32Array.from(w.data) })), file.certificate);
    } catch (e) {
      return { ok: false, message: message(e) };
    }
  },
  tables: tablesOf,
};

acceptLoaderPort(self);
Comlink.expose(api);
