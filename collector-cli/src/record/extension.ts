import type { BenchSection, SourceName } from '../../../core/bundle/index.ts';
import type { SourceOutcome } from './source.ts';

/**
 * Something that runs beside an attached recording in place of a command, and adds its own source (tables,
 * status) and manifest fields to the bundle: `tlab bench` drives a service with a measuring client and writes the
 * latency table and the manifest's bench section this way, while the recorder samples proc, PSI and perf of the
 * service's cgroup exactly as `tlab record --cgroup` would.
 */
export interface RecordExtension {
  /** The source its outcome is recorded under. */
  readonly source: SourceName;
  /** Short name of the workload (manifest.workload.label). */
  readonly label: string;
  /** manifest.workload.description. */
  readonly description: string;
  /** Why the group is what it is (manifest.workload.group.note). */
  readonly groupNote: string;
  /**
   * Called once sampling has started (ts 0 = `originMonoNs` on process.hrtime's clock). The recording ends when it
   * resolves. `stop` resolves on Ctrl-C or SIGTERM: it should then wind down promptly and resolve. It never rejects:
   * a failure is reported by `failure()` and makes the bundle partial.
   */
  run(ctx: { originMonoNs: bigint; now: () => number; stop: Promise<void> }): Promise<void>;
  /** A second signal: end everything it started at once. */
  kill(): void;
  /** Its part of the progress line. */
  progress(): string;
  /** Why its data is incomplete (e.g. the service died), or null. */
  failure(): string | null;
  /** Its source's outcome and manifest section, once the recording has ended; `partial` says why it ended early. */
  finish(partial: string | null): { outcome: SourceOutcome; bench: BenchSection };
}
