import type { Rng } from '../ml/rng.ts';
import type { Arena } from './arena.ts';
import type { Params } from './params.ts';

export interface GradientCheckResult {
  readonly checked: number;
  /** Worst |finite difference − analytic| / (1e-3 + 3%·|analytic|): ≤ 1 passes. */
  readonly worstError: number;
  readonly worst: string;
}

/**
 * Central finite differences on a sample of every weight, (L(w+ε) − L(w−ε)) / 2ε, against the analytic gradient
 * that `loss()` leaves in the params' gradient block. Float32 activations limit the agreement: ε = 1e-3 (small
 * enough not to cross a ReLU or hinge kink in small nets) and a tolerance of 1e-3 + 3%.
 */
export function finiteDifferenceCheck(arena: Arena, params: Params, loss: () => number, rng: Rng, perWeight = 6): GradientCheckResult {
  loss();
  const analytic = arena.read(params.base + params.total, params.total);
  const eps = 1e-3;
  let checked = 0;
  let worst = '';
  let worstError = 0;
  for (const e of params.entries.values()) {
    for (let s = 0; s < Math.min(perWeight, e.size); s++) {
      const i = s === 0 ? 0 : rng.int(e.size);
      const at = e.off + i;
      const v = arena.f32[at]!;
      arena.f32[at] = v + eps;
      const up = loss();
      arena.f32[at] = v - eps;
      const down = loss();
      arena.f32[at] = v;
      const fd = (up - down) / (2 * eps);
      const an = analytic[e.off - params.base + i]!;
      const err = Math.abs(fd - an) / (1e-3 + 0.03 * Math.abs(an));
      if (err > worstError) {
        worstError = err;
        worst = `${e.name}[${i}]: finite difference ${fd}, analytic ${an}`;
      }
      checked++;
    }
  }
  // Leave the gradients as the unperturbed loss computed them.
  loss();
  return { checked, worstError, worst };
}
