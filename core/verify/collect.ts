import type { Rng } from '../ml/rng.ts';
import { startPoints, walkLine } from './falsify.ts';
import type { ReluNet } from './relu-net.ts';
import { wantedSign, type Counterexample, type MonotoneSpec } from './spec.ts';

/**
 * Up to `max` distinct counterexample pairs (one per start point and input at most), from exact line walks through
 * data rows and random points of the box: the set both networks are scored on (vPALs Figure 6).
 */
export function collectCounterexamples(net: ReluNet, spec: MonotoneSpec, data: readonly (readonly number[])[], rng: Rng, max: number, deadlineMs = Infinity): Counterexample[] {
  const found: Counterexample[] = [];
  for (const p of startPoints(spec, rng, data, 64, 256)) {
    for (let i = 0; i < spec.directions.length && found.length < max; i++) {
      if (performance.now() > deadlineMs) return found;
      const sign = wantedSign(spec.directions[i]!);
      if (sign === 0) continue;
      const c = walkLine(net, p, i, spec.lo[i]!, spec.hi[i]!, sign);
      if (c) found.push(c);
    }
    if (found.length >= max) break;
  }
  return found;
}
