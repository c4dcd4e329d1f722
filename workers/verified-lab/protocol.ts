import type { BenchConfiguration, MetricInfo } from '../../core/verified-lab/dataset.ts';
import type { RecheckResult, VerifiedModelFile } from '../../core/verified-lab/certificate.ts';
import type { Correlation, VerifiedProgress, VerifiedResults } from '../../core/verified-lab/experiment.ts';
import type { LatencyTarget, VerifiedSpecInput } from '../../core/verified-lab/spec.ts';
import type { LabSource } from '../lab-bundles.ts';
import type { TablesOutcome } from '../lab-bundles/tables-of.ts';

export type VerifiedRunOutcome = { ok: true; results: VerifiedResults } | { ok: false; message: string };

/** What the bundles offer: fills the service, input and box choices, and the correlation view (vPALs Figure 2). */
export interface VerifiedListing {
  readonly services: readonly { readonly name: string; readonly rows: number }[];
  readonly metrics: readonly (MetricInfo & { readonly min: number; readonly max: number; readonly coverage: number })[];
  readonly configurations: readonly BenchConfiguration[];
  readonly correlations: readonly Correlation[];
  readonly dropped: { readonly noRequests: number; readonly warmup: number };
}
export type VerifiedListingOutcome = ({ ok: true } & VerifiedListing) | { ok: false; message: string };


/**
 * The verified lab's worker. `run` is one long synchronous computation (training and verification do not yield),
 * so a cancel cannot reach the worker while it runs: the page cancels by terminating the worker and starting a
 * new one. Progress messages do arrive while it runs.
 */
export interface VerifiedLabApi {
  listing(sources: readonly LabSource[], target: LatencyTarget, warmupIntervals: number): Promise<VerifiedListingOutcome>;
  /** Validates the spec, reads the bundles, runs the experiment; never rejects: failures come back as messages. */
  run(spec: VerifiedSpecInput, sources: readonly LabSource[], onProgress: (p: VerifiedProgress) => void): Promise<VerifiedRunOutcome>;
  /** Re-checks an exported model's certificate (hash and re-verification); a file that is not a model gives ok: false with why. */
  recheck(model: VerifiedModelFile): Promise<RecheckResult>;
  /** The tables a dropped file has rows in (a capture imported first), so the page can refuse it at once. */
  tables(source: LabSource, name: string): Promise<TablesOutcome>;
}
