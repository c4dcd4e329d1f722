import { readFileSync } from 'node:fs';
import { readBundle } from '../core/bundle/index.ts';
import { bocpd } from '../core/fingerprint/bocpd.ts';
import { dtw } from '../core/fingerprint/distance.ts';
import { runFingerprintExperiment } from '../core/fingerprint/experiment.ts';
import { runSeries } from '../core/fingerprint/series.ts';
import { parseFingerprintSpec } from '../core/fingerprint/spec.ts';
import { Rng } from '../core/ml/rng.ts';
import type { BenchRow } from './report.ts';

const DIR = new URL('../public/datasets/fingerprint/', import.meta.url).pathname;

function timeIt(minSeconds: number, f: () => void): number {
  f(); // warm-up (JIT)
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < minSeconds * 1000) {
    f();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

/**
 * The fingerprint lab (issue 15): BOCPD points/s (a 2,000-point piecewise series, truncation at 200 run lengths),
 * DTW pairs/s at the shape the runner compares (24 counters × 4 phases × 7 statistics, band 2), and the time to
 * fingerprint and classify the shipped set with its suggested spec (70/30 and leave-one-run-out).
 */
export async function benchFingerprint(): Promise<BenchRow[]> {
  const out: BenchRow[] = [];
  const rng = new Rng(1);
  const x = Array.from({ length: 2000 }, (_, i) => Math.floor(i / 250) % 2 + 0.3 * rng.normal());
  const perSecond = timeIt(2, () => void bocpd(x, { maxRunLength: 200 }));
  out.push({ suite: 'fingerprint', model: 'BOCPD (Student-t, λ 50, normal-gamma(0, 1, 1, 1), 200 run lengths kept)', backend: 'node', metric: 'points_per_second', value: perSecond * x.length, unit: 'points/s' });
  const phases = () => Array.from({ length: 4 }, () => Array.from({ length: 7 }, () => rng.normal()));
  const A = Array.from({ length: 24 }, phases);
  const B = Array.from({ length: 24 }, phases);
  const pairs = timeIt(2, () => {
    for (let c = 0; c < 24; c++) dtw(A[c]!, B[c]!, { band: 2 });
  });
  out.push({ suite: 'fingerprint', model: 'run DTW (24 counters × 4 phases × 7 stats, band 2)', backend: 'node', metric: 'pairs_per_second', value: pairs, unit: 'pairs/s' });
  const spec = parseFingerprintSpec(JSON.parse(readFileSync(`${DIR}spec.json`, 'utf8')));
  const t0 = performance.now();
  const inputs = [];
  for (const b of spec.bundles) {
    const r = await readBundle(new Uint8Array(readFileSync(DIR + b.path)));
    if (!r.ok) throw new Error(b.path);
    inputs.push({ ...b, series: runSeries(r.bundle, spec.sources, spec.includeSystem) });
  }
  const read = (performance.now() - t0) / 1000;
  const r = runFingerprintExperiment(spec, inputs);
  const notes = `${r.runs.length} runs; GBT ${r.evaluations.map((e) => `${e.split} ${(e.models[0]!.scores.accuracy * 100).toFixed(1)}%`).join(', ')}`;
  out.push({ suite: 'fingerprint', model: 'shipped set, suggested spec', backend: 'node', metric: 'read_seconds', value: read, unit: 's' });
  out.push({ suite: 'fingerprint', model: 'shipped set, suggested spec', backend: 'node', metric: 'fingerprint_seconds', value: r.seconds.fingerprint, unit: 's' });
  out.push({ suite: 'fingerprint', model: 'shipped set, suggested spec', backend: 'node', metric: 'distance_seconds', value: r.seconds.distances, unit: 's' });
  out.push({ suite: 'fingerprint', model: 'shipped set, suggested spec', backend: 'node', metric: 'classify_seconds', value: r.seconds.classify, unit: 's', notes });
  return out;
}
