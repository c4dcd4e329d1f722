/**
 * Recognises a capture by its content (not its name): each known format has a line shape that the others do
 * not, so the share of matching lines among the first ones decides. Comments and blank lines do not count.
 */
export type TextFormat = 'strace' | 'ftrace' | 'systrace' | 'perf-stat' | 'perf-sched' | 'perfspect-summary' | 'perfspect-series' | 'kernel-oracle-csv' | 'psi';

export interface Detection {
  readonly format: TextFormat | null;
  /** Share of the sampled lines each format matched, for the message when nothing matched. */
  readonly scores: Readonly<Record<TextFormat, number>>;
}

export const TEXT_FORMATS: readonly { format: TextFormat; title: string }[] = [
  { format: 'strace', title: 'strace log (-f/-ff, -t/-tt/-ttt/-r, -T)' },
  { format: 'ftrace', title: 'ftrace text (tracefs trace/trace_pipe, trace-cmd report)' },
  { format: 'systrace', title: 'Android systrace / catapult HTML (ftrace text inside)' },
  { format: 'perf-stat', title: 'perf stat -x CSV (interval or totals)' },
  { format: 'perf-sched', title: 'perf sched script text' },
  { format: 'perfspect-summary', title: 'PerfSpect 1.x summary CSV (metrics,avg,p95,min,max)' },
  { format: 'perfspect-series', title: 'PerfSpect metric time series: 1.x metric_out*.csv (time,metric_…) or 3.x *_metrics.csv (TS,SKT,CPU,CID,…)' },
  { format: 'kernel-oracle-csv', title: 'KernelOracle scheduling CSV (timestamp,time_diff,task_name,pid,cpu,…)' },
  { format: 'psi', title: 'snapshots of /proc/pressure/* or cgroup *.pressure files' },
];

const STRACE = [
  // optional pid, optional timestamp, then name(…) = result | <unfinished …> | resumed | signal | exit
  /^\s*(?:\[pid\s+\d+\]\s+|\d+\s+)?(?:\d+(?::\d\d){2}(?:\.\d+)?\s+|\d+\.\d+\s+)?(?:[a-z_0-9]+\(.*(?:\)\s+=\s|<unfinished \.\.\.>)|<\.\.\. [a-z_0-9]+ resumed>|--- SIG|\+\+\+ (?:exited|killed))/,
];
const FTRACE = [/^\s*.+-\d+\s+(?:\(\s*(?:\d+|-+)\)\s+)?\[\d+\]\s+(?:[.a-zA-Z0-9]{4,6}\s+)?\d+\.\d+:\s+[A-Za-z0-9_]+:/, /^\s*.+-\d+\s+\d+[.dDXxNnpPhHsSbBzZ][.a-zA-Z0-9]{3,5}\s+\d+\.\d+:\s+[A-Za-z0-9_]+:/, /^CPU:\d+ \[LOST \d+ EVENTS\]$/, /^cpus=\d+$/, /^version = \d+$/];
const PERF_STAT = [/^\s*(?:\d+\.\d{9}[,;:|\t])?(?:CPU\d+[,;:|\t])?(?:[\d.]+|<not (?:counted|supported)>)[,;:|\t][^,;:|\t]*[,;:|\t][A-Za-z][\w\-:/.]*(?:[,;:|\t]|$)/];

// "comm tid [cpu] secs: subsys:event:" (tid may be "pid/tid"); the "subsys:" prefix tells it from ftrace text.
const PERF_SCHED = [/^\s*.*?\s\d+(?:\/\d+)?\s+\[\d+\]\s+\d+\.\d+:\s+[A-Za-z0-9_]+:[A-Za-z0-9_]+:(?:\s|$)/];
const PERFSPECT_SUMMARY = [/^metrics,avg,p95,min,max\s*$/, /^"?metric_[^,]*"?(?:,[^,]*){4}$/];
// Headers, then rows of numbers and empty cells only: 1.x after perf's time ("5.004512345"), 3.x after unix
// seconds and the socket, CPU and cgroup fields. A word in any cell (an event name, a unit) rules a line out.
// Each number has one way to match, so a long line that fails at its end fails fast.
const PERFSPECT_SERIES = [
  /^time,"?metric_/,
  /^\d+\.\d+(?:,(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|[-+]?(?:nan|inf))?)+$/i,
  /^TS,SKT,CPU,CID,[^,]/,
  /^\d{9,},\d*,\d*,[^,]*(?:,(?:[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?|[-+]?(?:nan|inf))?)+$/i,
];
const PERFSPECT_SERIES_HEADERS = [PERFSPECT_SERIES[0]!, PERFSPECT_SERIES[2]!];
// The header, then rows: seconds, gap, comm (quoted when it holds a comma), pid, cpu, …
const KERNEL_ORACLE = [/^timestamp,(?:time_diff,)?task_name,pid,cpu(?:,|$)/, /^\d+\.\d+,(?:-?[\d.]+(?:e-?\d+)?,)?(?:"(?:[^"]|"")*"|[^,"]*),-?\d+,\d+(?:,|$)/];
// Time lines, "== FILE" headers (tail's "==> FILE <=="), the kernel's own lines, and cgroup.pressure's 0/1.
// A loop printing one header per read puts the time before the path ("1796405157.898 /proc/pressure/cpu").
const PSI = [
  /^(?:some|full) avg10=\d+\.\d+ avg60=\d+\.\d+ avg300=\d+\.\d+ total=\d+$/,
  /^==>? \S*pressure\S*(?: <==)?$/,
  /^\d+\.\d+$/,
  /^[01]$/,
  /^(?:\d+(?:\.\d+)?|\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?\s*(?:Z|[+-]\d\d:?\d\d)?)\s+\/\S*pressure\S*$/,
];

function share(lines: readonly string[], patterns: readonly RegExp[]): number {
  if (!lines.length) return 0;
  return lines.filter((l) => patterns.some((p) => p.test(l))).length / lines.length;
}

/** A systrace export is a web page: its first line says so, and the trace text comes after the viewer. */
function htmlPage(head: string): number {
  const first = head.trimStart().slice(0, 64).toLowerCase();
  return first.startsWith('<!doctype html') || first.startsWith('<html') ? 1 : 0;
}

export function detectTextFormat(head: string): Detection {
  const lines = head
    .split(/\r?\n/)
    .slice(0, 200)
    // The last line of a sample may be cut in the middle.
    .slice(0, -1)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const sample = lines.slice(0, 60);
  const scores = {
    strace: share(sample, STRACE),
    ftrace: share(sample, FTRACE),
    systrace: htmlPage(head),
    'perf-stat': share(sample, PERF_STAT),
    'perf-sched': share(sample, PERF_SCHED),
    'perfspect-summary': share(sample, PERFSPECT_SUMMARY),
    // Rows of plain numbers are any numeric CSV's (a cluster trace, a PSI log): only PerfSpect's header says it is one.
    'perfspect-series': sample.some((l) => PERFSPECT_SERIES_HEADERS.some((p) => p.test(l))) ? share(sample, PERFSPECT_SERIES) : 0,
    'kernel-oracle-csv': share(sample, KERNEL_ORACLE),
    psi: share(sample, PSI),
  };
  const best = (Object.entries(scores) as [TextFormat, number][]).sort((a, b) => b[1] - a[1])[0]!;
  return { format: best[1] >= 0.5 ? best[0] : null, scores };
}
