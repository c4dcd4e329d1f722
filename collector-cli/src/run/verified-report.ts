import type { VerifiedResults } from '../../../core/verified-lab/experiment.ts';

const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
const us = (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)} µs` : '–');

/** The verified lab's results as text: data, scores beside the baselines, Figure 6, the verifications, the rounds. */
export function formatVerifiedResults(r: VerifiedResults): string {
  const d = r.data;
  const lines = [
    `verified lab: ${r.service} ${r.target.id}${r.target.transform === 'log' ? ' (modelled as log)' : ''}, seed ${r.spec.seed}, backend ${r.backend}`,
    `rows ${d.rows} (train ${d.trainRows}, test ${d.testRows}; ${d.configurations} configurations${d.testConfigurations.length ? `, held out: ${d.testConfigurations.join(', ')}` : ''}); dropped: ${d.dropped.warmup} warm-up, ${d.dropped.noRequests} without requests, ${d.dropped.missingInputs} missing an input`,
    `inputs: ${r.inputs.map((i) => `${i.id}${i.direction === 'free' ? '' : ` (${i.direction} over [${i.boxLo.toPrecision(3)}, ${i.boxHi.toPrecision(3)}])`}`).join(', ')}`,
    '',
    `${'model'.padEnd(44)}${'train acc'.padStart(10)}${'test acc'.padStart(10)}${'test RMSE'.padStart(12)}${'test MAE'.padStart(12)}  monotone`,
  ];
  for (const s of r.scores) {
    lines.push(`${s.model.padEnd(44)}${pct(s.trainAccuracy).padStart(10)}${pct(s.testAccuracy).padStart(10)}${us(s.testRmse).padStart(12)}${us(s.testMae).padStart(12)}  ${s.monotone}${s.note ? ` (${s.note})` : ''}`);
  }
  lines.push('', `accuracy = |prediction − truth| < ${r.spec.accuracyTolerance} on the normalised target (vPALs); counterexamples: share of pairs ordered as the spec wants`);
  lines.push(`${'set'.padEnd(18)}${'unverified'.padStart(12)}${'verified'.padStart(12)}${'n'.padStart(8)}`);
  for (const f of r.figure6) lines.push(`${f.set.padEnd(18)}${pct(f.unverified).padStart(12)}${pct(f.verified).padStart(12)}${String(f.n).padStart(8)}`);
  lines.push('', `${'network'.padEnd(12)}${'mode'.padEnd(11)}${'result'.padEnd(12)}${'proven'.padStart(9)}${'seconds'.padStart(9)}${'boxes'.padStart(9)}`);
  for (const v of r.verifications) {
    const exact = v.mode !== 'complete' ? '' : v.milp.solver ? `  ${v.milp.solves} MILP solves (${v.milp.proved} proved, ${v.milp.seconds.toFixed(1)} s)` : `  no MILP: ${v.milp.unavailable ?? 'off'}`;
    lines.push(`${v.network.padEnd(12)}${v.mode.padEnd(11)}${v.status.padEnd(12)}${pct(v.verifiedVolume).padStart(9)}${v.seconds.toFixed(2).padStart(9)}${String(v.boxes).padStart(9)}${exact}`);
    if (v.counterexample) {
      const c = v.counterexample;
      const i = r.inputs.findIndex((x) => x.id === c.input);
      lines.push(`${''.padEnd(23)}pair on ${c.input}: ${c.lo[i]!.toPrecision(4)} → ${c.hi[i]!.toPrecision(4)} predicts ${us(c.fLo)} → ${us(c.fHi)}`);
    }
  }
  lines.push('', `counterexample-guided training: ${r.rounds.map((x) => `round ${x.round} (epoch ${x.epochs}): ${x.status} ${pct(x.verifiedVolume)} in ${x.seconds.toFixed(1)} s, ${x.pairs} pairs`).join('; ')}`);
  lines.push(`certificate: ${r.certificate.result} by the ${r.certificate.method} verifier, ${pct(r.certificate.verifiedVolume)} of the box, weights ${r.certificate.weightsHash}`);
  if (r.clockStopped.length)
    lines.push(
      '',
      `NOT REPRODUCIBLE: the clock guard (verifier.seconds = ${r.spec.verifier.seconds}) stopped ${r.clockStopped.join(', ')} before the work budget was spent; those answers depend on this machine's speed.`,
    );
  return lines.join('\n');
}
