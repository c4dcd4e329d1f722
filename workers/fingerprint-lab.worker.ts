import * as Comlink from 'comlink';
import { changePointMethod, runFingerprintExperiment } from '../core/fingerprint/experiment.ts';
import { changePoints, normalise } from '../core/fingerprint/fingerprint.ts';
import { runSeries, type RunSeries } from '../core/fingerprint/series.ts';
import { FingerprintSpec } from '../core/fingerprint/spec.ts';
import { parseSpec } from '../core/specs/parse.ts';
import { acceptLoaderPort, readLabBundle, sourceKey, sourceName, type LabSource } from './lab-bundles.ts';
import type { FingerprintLabApi } from './fingerprint-lab/protocol.ts';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

// Series per bundle and source choice: the preview and the runs read the same bundles again and again.
const seriesCache = new Map<string, RunSeries>();
async function seriesOf(s: LabSource, sources: readonly string[], includeSystem: boolean): Promise<RunSeries> {
  const key = `${sourceKey(s)}|${sources.join(',')}|${includeSystem}`;
  const hit = seriesCache.get(key);
  if (hit) return hit;
  const r = runSeries(await readLabBundle(s), sources as never, includeSystem);
  seriesCache.set(key, r);
  return r;
}

const api: FingerprintLabApi = {
  async preview(source, specInput, counter) {
    try {
      const spec = parseSpec(FingerprintSpec, specInput, 'fingerprint-lab');
      const s = await seriesOf(source, spec.sources, spec.includeSystem);
      const ids = [...s.series.keys()].sort();
      if (ids.length === 0) return { ok: false, message: `${sourceName(source)}: no series for the chosen sources` };
      const id = counter && s.series.has(counter) ? counter : (ids.find((i) => i === 'group:cpu') ?? ids[0]!);
      const raw = s.series.get(id)!;
      const t0 = performance.now();
      const x = normalise(raw, spec.normalisation);
      const cps = changePoints(x, changePointMethod(spec));
      return { ok: true, counters: ids.map((i) => ({ id: i, name: s.names.get(i) ?? i })), counter: id, tS: Array.from(s.tS), raw: Array.from(raw), normalised: Array.from(x), changePoints: cps, ms: performance.now() - t0 };
    } catch (e) {
      return { ok: false, message: message(e) };
    }
  },

  async run(specInput, sources, onProgress) {
    try {
      const spec = parseSpec(FingerprintSpec, specInput, 'fingerprint-lab');
      if (sources.length !== spec.bundles.length) throw new Error(`${spec.bundles.length} bundles in the spec but ${sources.length} sources`);
      const inputs = [];
      for (let i = 0; i < sources.length; i++) {
        onProgress({ phase: 'series', fraction: (0.2 * i) / sources.length, message: `reading ${sourceName(sources[i]!)}` });
        inputs.push({ ...spec.bundles[i]!, series: await seriesOf(sources[i]!, spec.sources, spec.includeSystem) });
      }
      return { ok: true, results: runFingerprintExperiment(spec, inputs, { onProgress }) };
    } catch (e) {
      return { ok: false, message: message(e) };
    }
  },
};

acceptLoaderPort(self);
Comlink.expose(api);
