import { readText } from './proc-files.ts';

/** One CPU's ring-buffer counters from per_cpu/cpuN/stats, the kernel's own account of what it wrote and lost. */
export interface RingStats {
  cpu: number;
  /** Events still in the buffer, not yet read. */
  entries: number;
  /** Events overwritten before anyone read them (overwrite mode). */
  overrun: number;
  /** Events lost because the writer wrapped onto its own commit page (nested writers). */
  commitOverrun: number;
  /** Events refused because the buffer was full (non-overwrite mode). */
  dropped: number;
  /** Events handed to readers (trace_pipe, trace_pipe_raw). */
  read: number;
  /** The whole text, kept for the manifest when a figure is missing. */
  text: string;
}

const FIELDS = {
  entries: 'entries',
  overrun: 'overrun',
  commitOverrun: 'commit overrun',
  dropped: 'dropped events',
  read: 'read events',
} as const;

/**
 * Parses a stats file; throws naming the file and the missing figure, since every count below depends on them.
 * `missingAsZero` is for the text reader's lost-event count, which must not fail over an older kernel's shorter file.
 */
export function parseRingStats(cpu: number, text: string, where: string, missingAsZero = false): RingStats {
  const out = { cpu, text } as RingStats;
  for (const [key, label] of Object.entries(FIELDS) as [keyof typeof FIELDS, string][]) {
    const m = new RegExp(`^${label}:\\s*(\\d+)\\s*$`, 'm').exec(text);
    if (!m && !missingAsZero) throw new Error(`${where}: no "${label}:" line in the ring-buffer stats (read: ${JSON.stringify(text.slice(0, 200))})`);
    out[key] = m ? Number(m[1]) : 0;
  }
  return out;
}

/** Reads every CPU's stats under a tracefs instance directory (`path` maps a relative name to a path). */
export function readRingStats(cpus: number, path: (file: string) => string): RingStats[] {
  const out: RingStats[] = [];
  for (let cpu = 0; cpu < cpus; cpu++) {
    const file = path(`per_cpu/cpu${cpu}/stats`);
    const text = readText(file);
    if (text === null) throw new Error(`${file}: cannot be read`);
    out.push(parseRingStats(cpu, text, file));
  }
  return out;
}

/** Lost events per CPU (lostOf), a missing or unreadable stats file counting 0: the text reader's account. */
export function lostPerCpu(cpus: number, path: (file: string) => string): number[] {
  return Array.from({ length: cpus }, (_, cpu) => lostOf(parseRingStats(cpu, readText(path(`per_cpu/cpu${cpu}/stats`)) ?? '', '', true)));
}

/** Events the kernel lost on one CPU, whichever way it lost them. */
export function lostOf(s: Pick<RingStats, 'overrun' | 'commitOverrun' | 'dropped'>): number {
  return s.overrun + s.commitOverrun + s.dropped;
}

/** after - before, per CPU and figure (the counters only grow while the buffer is not reset). */
export function statsDelta(before: readonly RingStats[], after: readonly RingStats[]): RingStats[] {
  return after.map((a) => {
    const b = before.find((x) => x.cpu === a.cpu);
    if (!b) return a;
    return { cpu: a.cpu, text: a.text, entries: a.entries, overrun: a.overrun - b.overrun, commitOverrun: a.commitOverrun - b.commitOverrun, dropped: a.dropped - b.dropped, read: a.read - b.read };
  });
}
