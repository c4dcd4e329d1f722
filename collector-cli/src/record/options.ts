import { SOURCE_NAMES, type SourceName } from '../../../core/bundle/index.ts';
import type { RecordExtension } from './extension.ts';

export interface RecordOptions {
  output: string;
  /** The command to run, or null when attaching. */
  command: string[] | null;
  pid: number | null;
  cgroup: string | null;
  durationS: number | null;
  intervalS: number;
  sources: SourceName[];
  require: SourceName[];
  label: string | null;
  syscallArgs: boolean;
  redactHostname: boolean;
  keepRaw: boolean;
  /** How the sched source reads the kernel's trace: trace_pipe_raw pages (default) or trace_pipe text. */
  schedReader?: 'raw' | 'text';
  /** The sched source's ring buffer per CPU, in KiB (tracefs buffer_size_kb). */
  schedBufferKb?: number;
  quiet: boolean;
  json: boolean;
  perfEvents: string[];
  /** Group by process group instead of creating a cgroup (what happens anyway where cgroups are unavailable). */
  noCgroup: boolean;
  /** Run the command once unrecorded first, to measure how much recording slows it down. */
  baseline: boolean;
  /** With --pid or --cgroup: runs beside the recording, ends it, and adds its source (`tlab bench`; extension.ts). */
  extension?: RecordExtension;
}

export const MIN_INTERVAL_S = 0.1;

export function parseSourceList(text: string, flag: string): SourceName[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(SOURCE_NAMES as readonly string[]).includes(n)) throw new Error(`${flag}: unknown source "${n}" (known: ${SOURCE_NAMES.join(', ')})`);
  }
  return [...new Set(names)] as SourceName[];
}

/** Checks the combination of options; throws a message meant for the user. */
export function validate(o: RecordOptions): void {
  const targets = [o.command && o.command.length > 0, o.pid !== null, o.cgroup !== null].filter(Boolean).length;
  if (targets === 0) throw new Error('nothing to record: give a command after --, or --pid PID, or --cgroup PATH');
  if (targets > 1) throw new Error('give only one of: a command, --pid, --cgroup');
  if (!Number.isFinite(o.intervalS) || o.intervalS < MIN_INTERVAL_S) throw new Error(`--interval must be at least ${MIN_INTERVAL_S} s`);
  if (o.durationS !== null && !(o.durationS > 0)) throw new Error('--duration must be a positive number of seconds');
  if (o.pid !== null && !(Number.isInteger(o.pid) && o.pid > 0)) throw new Error('--pid must be a process id');
  if (o.baseline && !o.command) throw new Error('--baseline needs a command to run (it cannot re-run an attached process)');
  for (const r of o.require) if (!o.sources.includes(r)) throw new Error(`--require ${r}: it is not among --sources`);
  if (o.schedBufferKb !== undefined && !(Number.isInteger(o.schedBufferKb) && o.schedBufferKb >= 4 && o.schedBufferKb <= 4_194_304)) throw new Error('--sched-buffer-kb must be a whole number of KiB from 4 to 4194304 (4 GiB)');
  if (o.extension && o.command) throw new Error('an extension runs beside an attached recording, not a command');
}
