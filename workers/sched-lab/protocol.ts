import type { SchedProgress, SchedResultRow, SchedResults } from '../../core/sched-lab/experiment.ts';
import type { SchedBundleRef, SchedSpecInput } from '../../core/sched-lab/spec.ts';
import type { BackendName } from '../compute/types.ts';
import type { LabSource } from '../lab-bundles.ts';
import type { TablesOutcome } from '../lab-bundles/tables-of.ts';

/** A bundle of the experiment: a URL (the demo datasets), a file the user dropped, or the overview's open bundle. */
export type LabBundleSource =
  | { readonly ref: SchedBundleRef; readonly url: string }
  | { readonly ref: SchedBundleRef; readonly file: File }
  | { readonly ref: SchedBundleRef; readonly bundleId: string; readonly name: string };

export type SchedRunOutcome = { ok: true; results: SchedResults } | { ok: false; cancelled: boolean; message: string };

export interface SchedLabApi {
  /** Validates the spec, reads the bundles, trains and scores; never rejects: failures come back as messages. */
  run(
    spec: SchedSpecInput,
    sources: readonly LabBundleSource[],
    backend: BackendName,
    onProgress: (p: SchedProgress) => void,
    onRow: (row: SchedResultRow) => void,
  ): Promise<SchedRunOutcome>;
  cancel(): void;
  /** The tables a dropped file has rows in (a capture imported first), so the page can refuse it at once. */
  tables(source: LabSource, name: string): Promise<TablesOutcome>;
}
