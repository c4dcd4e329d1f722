import type { FingerprintResults } from '../../../core/fingerprint/experiment.ts';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The fingerprint lab's results as text: CWD's Table II (beside its 93 %), Table III, Table IV and the detection. */
export function formatFingerprintResults(r: FingerprintResults): string {
  const s = r.spec;
  const lines: string[] = [];
  lines.push(
    `fingerprint lab: ${r.runs.length} runs (${r.classes.length} known workloads: ${r.classes.join(', ')}; unknown: ${[...new Set(r.runs.filter((x) => x.role === 'unknown').map((x) => x.workload))].join(', ') || 'none'}), seed ${s.seed}`,
    `${r.counters.length} series (${s.sources.join(', ')}${s.includeSystem ? ', machine-wide included' : ''}) × ${s.maxPhases} phases × 7 statistics = ${r.featureCount} features; change points: ${s.changePoints.method}${s.changePoints.method === 'bocpd' ? ` λ=${s.changePoints.lambda}` : ` ${s.changePoints.cost} penalty ${s.changePoints.penalty}`}; normalisation ${s.normalisation}; distance ${s.distance.kind}${s.distance.kind === 'dtw' ? ` (band ${s.distance.band})` : ''}`,
    '',
    'case study 1: classifying known workloads (CWD Table II: GBT precision 0.95, recall 0.93, F1 0.93, accuracy 93% on its 70/30 split)',
    `${'split'.padEnd(19)}${'model'.padEnd(10)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'F1'.padStart(7)}${'accuracy'.padStart(10)}${'test runs'.padStart(11)}`,
  );
  for (const e of r.evaluations)
    for (const m of e.models)
      lines.push(`${e.split.padEnd(19)}${m.model.padEnd(10)}${m.scores.precision.toFixed(2).padStart(10)}${m.scores.recall.toFixed(2).padStart(8)}${m.scores.f1.toFixed(2).padStart(7)}${pct(m.scores.accuracy).padStart(10)}${String(e.testRuns).padStart(11)}`);
  if (r.resemblance.length) {
    lines.push('', `case study 2: which known workload each unknown one resembles (GBT trained on every known run; CWD Table III)`);
    lines.push(`${'unknown'.padEnd(12)}${r.classes.map((c) => c.padStart(10)).join('')}   (nearest fingerprint: ${'most often'})`);
    for (const x of r.resemblance) {
      const top = Object.entries(x.nearest).sort((a, b) => b[1] - a[1])[0]!;
      lines.push(`${x.workload.padEnd(12)}${r.classes.map((c) => pct(x.gbt[c] ?? 0).padStart(10)).join('')}   (${top[0]} ${pct(top[1])})`);
    }
  }
  lines.push('', `case study 3: distances between runs of the same workload (CWD Table IV), and thresholds (mean + ${s.thresholdK}·std)`);
  lines.push(`${'workload'.padEnd(12)}${'DTW mean'.padStart(10)}${'DTW std'.padStart(10)}${'ED mean'.padStart(10)}${'ED std'.padStart(10)}`);
  for (const t of r.similarityTable) lines.push(`${t.workload.padEnd(12)}${t.dtw.mean.toFixed(2).padStart(10)}${t.dtw.std.toFixed(2).padStart(10)}${t.euclidean.mean.toFixed(2).padStart(10)}${t.euclidean.std.toFixed(2).padStart(10)}`);
  const d = r.detection;
  lines.push(
    `known/unknown (${s.distance.kind}, thresholds from the 70/30 training runs): known test runs accepted ${d.knownAccepted}/${d.knownTotal} (nearest workload right ${d.knownNearestCorrect}/${d.knownTotal}), unknown runs rejected ${d.unknownRejected}/${d.unknownTotal}`,
  );
  if (r.partial) lines.push(`partial runs (first ${pct(r.partial.share)} of each 70/30 test run, subsequence DTW to the training runs): nearest right ${pct(r.partial.accuracy)} (whole runs: ${pct(r.partial.fullAccuracy)}), n = ${r.partial.n}`);
  lines.push(`time: fingerprints ${r.seconds.fingerprint.toFixed(2)} s, distances ${r.seconds.distances.toFixed(2)} s, classifiers ${r.seconds.classify.toFixed(2)} s`);
  return lines.join('\n');
}
