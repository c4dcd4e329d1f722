import type { FingerprintProgress, FingerprintResults } from '../../core/fingerprint/experiment.ts';
import type { FingerprintSpecInput } from '../../core/fingerprint/spec.ts';
import type { LabSource } from '../lab-bundles.ts';

export type FingerprintRunOutcome = { ok: true; results: FingerprintResults } | { ok: false; message: string };

/** One run's series with its change points under the form's settings (the change point preview). */
export interface ChangePointPreview {
  readonly counters: readonly { readonly id: string; readonly name: string }[];
  readonly counter: string;
  readonly tS: number[];
  readonly raw: number[];
  readonly normalised: number[];
  readonly changePoints: number[];
  readonly ms: number;
}
export type PreviewOutcome = ({ ok: true } & ChangePointPreview) | { ok: false; message: string };

/** The fingerprint lab's worker: the preview and the whole experiment run here, never on the main thread. */
export interface FingerprintLabApi {
  preview(source: LabSource, spec: FingerprintSpecInput, counter: string | null): Promise<PreviewOutcome>;
  /** `sources[i]` is the bundle of `spec.bundles[i]`. Never rejects: failures come back as messages. */
  run(spec: FingerprintSpecInput, sources: readonly LabSource[], onProgress: (p: FingerprintProgress) => void): Promise<FingerprintRunOutcome>;
}
