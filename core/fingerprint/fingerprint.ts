import { adfStatistic } from './adf.ts';
import { bocpd, type BocpdParams } from './bocpd.ts';
import { mean, quantile, variance } from './math.ts';
import { pelt, type PeltParams } from './pelt.ts';
import { log1p } from '../numeric/det-math.ts';

/**
 * Phase fingerprints as CWD defines them (§V): each counter's series is normalised (eq. 7, y = |x − μ| / σ over
 * the run, a plain z-score, or sign(x)·log(1 + |x|), which keeps the run's level), cut into phases at its change points, and each phase summarised by statistics —
 * mean, median, variance, the augmented Dickey–Fuller statistic and the phase's distribution (10th and 90th
 * percentiles) — plus the phase's share of the run. The fingerprint is counters × phases × statistics, zero-padded
 * to a fixed phase count so every run's vector has the same length (phases beyond the count are merged into the
 * last one).
 */
export const PHASE_STATS = ['mean', 'median', 'variance', 'adf', 'p10', 'p90', 'share'] as const;
export type PhaseStat = (typeof PHASE_STATS)[number];

export type Normalisation = 'cwd' | 'zscore' | 'log' | 'none';

export type ChangePointMethod = { readonly method: 'bocpd'; readonly params: Partial<BocpdParams> } | { readonly method: 'pelt'; readonly params: Partial<PeltParams> };

/** CWD eq. 7: |x − μ| / σ (σ = population std; a constant series becomes all zeros). */
export function normalise(x: ArrayLike<number>, how: Normalisation): Float64Array {
  const out = Float64Array.from(x);
  if (how === 'none') return out;
  if (how === 'log') {
    // Keeps each run's level (CWD's per-run scaling removes it): sign(x) · log(1 + |x|), no fitting needed.
    for (let i = 0; i < out.length; i++) out[i] = Math.sign(out[i]!) * log1p(Math.abs(out[i]!));
    return out;
  }
  const m = mean(out);
  const s = Math.sqrt(variance(out));
  for (let i = 0; i < out.length; i++) {
    const z = s > 0 ? (out[i]! - m) / s : 0;
    out[i] = how === 'cwd' ? Math.abs(z) : z;
  }
  return out;
}

export function changePoints(x: ArrayLike<number>, cp: ChangePointMethod): number[] {
  return cp.method === 'bocpd' ? bocpd(x, cp.params).changePoints : pelt(x, cp.params).changePoints;
}

/** The statistics of one phase, in PHASE_STATS order. ADF is 0 where it cannot be fitted (short or flat phases). */
export function phaseStats(seg: ArrayLike<number>, runLength: number, adfLags: number): number[] {
  const adf = adfStatistic(seg, adfLags);
  return [mean(seg), quantile(seg, 0.5), variance(seg), Number.isFinite(adf) ? Math.max(-50, Math.min(50, adf)) : 0, quantile(seg, 0.1), quantile(seg, 0.9), seg.length / runLength];
}

export interface CounterPhases {
  readonly counter: string;
  /** Segment starts after the first (indices into the series). */
  readonly changePoints: number[];
  /** One row of PHASE_STATS per phase actually found (at most maxPhases). */
  readonly phases: number[][];
}

export interface Fingerprint {
  readonly counters: readonly string[];
  readonly maxPhases: number;
  readonly perCounter: readonly CounterPhases[];
  /** counters × maxPhases × PHASE_STATS.length, zero-padded. */
  readonly vector: Float64Array;
}

export interface FingerprintOptions {
  readonly normalisation: Normalisation;
  readonly changePoints: ChangePointMethod;
  readonly maxPhases: number;
  readonly adfLags: number;
}

export function fingerprint(series: ReadonlyMap<string, ArrayLike<number>>, counters: readonly string[], o: FingerprintOptions): Fingerprint {
  const K = PHASE_STATS.length;
  const vector = new Float64Array(counters.length * o.maxPhases * K);
  const perCounter: CounterPhases[] = [];
  counters.forEach((c, ci) => {
    const raw = series.get(c);
    if (!raw) throw new Error(`fingerprint: no series "${c}"`);
    const x = normalise(raw, o.normalisation);
    const cps = changePoints(x, o.changePoints);
    // Phases beyond maxPhases are merged into the last one.
    const bounds = [0, ...cps.slice(0, o.maxPhases - 1), x.length];
    const phases: number[][] = [];
    for (let p = 0; p + 1 < bounds.length; p++) {
      const st = phaseStats(x.subarray(bounds[p]!, bounds[p + 1]!), x.length, o.adfLags);
      phases.push(st);
      vector.set(st, (ci * o.maxPhases + p) * K);
    }
    perCounter.push({ counter: c, changePoints: cps, phases });
  });
  return { counters, maxPhases: o.maxPhases, perCounter, vector };
}
