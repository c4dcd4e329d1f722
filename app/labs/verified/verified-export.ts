import { csvCell } from '../../../core/overview/csv.ts';
import type { VerifiedResults } from '../../../core/verified-lab/experiment.ts';

/**
 * The counterexample pairs, one line each: the violated input, its two values, the predictions at both (µs, by the
 * network the pair was found on), then every input's value at the pair's lower point (the other inputs are the same
 * at both points), then the violation region's share of the box and its bounds per input (empty without one).
 */
export function counterexamplesCsv(r: VerifiedResults): string {
  const ids = r.inputs.map((m) => m.id);
  const head = ['pair', 'found_on', 'input', 'direction', 'input_lo', 'input_hi', 'f_lo_us', 'f_hi_us', ...ids.map((id) => `at:${id}`), 'region_volume', ...ids.flatMap((id) => [`region_lo:${id}`, `region_hi:${id}`])];
  const lines = [head.map(csvCell).join(',')];
  r.counterexamples.forEach((c, k) => {
    const d = ids.indexOf(c.input);
    const direction = r.inputs[d]?.direction ?? '';
    lines.push([k + 1, c.foundOn, c.input, direction, c.lo[d], c.hi[d], c.fLo, c.fHi, ...c.lo, c.region?.volume, ...ids.flatMap((_, i) => [c.region?.lo[i], c.region?.hi[i]])].map((v) => csvCell(v as string | number | undefined)).join(','));
  });
  return `${lines.join('\n')}\n`;
}

/** The pairs as JSON, with the inputs they are in the units of. */
export function counterexamplesJson(r: VerifiedResults): unknown {
  return {
    service: r.service,
    target: r.target,
    inputs: r.inputs.map((m) => ({ id: m.id, name: m.name, unit: m.unit, direction: m.direction, box: [m.boxLo, m.boxHi] })),
    counterexamples: r.counterexamples.map((c, k) => ({ pair: k + 1, ...c })),
  };
}

/** Results as JSON without the weights (they go out with the certificate, as the model file). */
export function resultsJson(r: VerifiedResults): unknown {
  const { weights: _weights, ...rest } = r;
  return rest;
}
