/**
 * What can be dropped on the app, in words for the landing page. The loader recognises captures by content with
 * the importer registry (core/importers/registry.ts), which the page does not load; formats.test.ts checks that
 * this list names every format the registry has, so the page cannot fall behind it.
 */
export const DROPPABLE: readonly { format: string; what: string; example: string }[] = [
  { format: 'strace', what: 'strace logs, one file or the per-task files of -ff dropped together', example: 'strace -f -tt -T -o trace.log CMD' },
  { format: 'ftrace', what: 'ftrace text: tracefs trace or trace_pipe, trace-cmd report', example: 'trace-cmd record -e sched; trace-cmd report > trace.txt' },
  { format: 'trace-dat', what: "trace-cmd's binary trace.dat (file versions 6 and 7, zstd/zlib-compressed or not)", example: 'trace-cmd record -e sched -- CMD (writes trace.dat)' },
  { format: 'systrace', what: 'Android systrace / catapult HTML exports', example: 'python systrace.py sched -o trace.html' },
  { format: 'perf-sched', what: 'perf sched script text', example: 'perf sched record CMD; perf sched script > sched.txt' },
  { format: 'perf-stat', what: 'perf stat CSV, per interval or totals', example: 'perf stat -x, -I 100 -o stat.csv CMD' },
  { format: 'perfspect-summary', what: 'PerfSpect 1.x summary CSV (avg, p95, min, max per metric)', example: 'perf-collect, then perf-postprocess' },
  { format: 'perfspect-series', what: 'PerfSpect metric time series (1.x metric_out*.csv, 3.x *_metrics.csv)', example: 'perfspect metrics (3.x)' },
  { format: 'kernel-oracle-csv', what: "KernelOracle's scheduling CSV (one or several traces)", example: 'timestamp,time_diff,task_name,pid,cpu,…' },
  { format: 'psi', what: 'snapshots of /proc/pressure/* or cgroup *.pressure files', example: 'while sleep 1; do date +%s; cat /proc/pressure/*; done > psi.txt' },
  { format: 'csv', what: 'any time-series CSV: a time column and numeric columns (sadf -d, cluster traces, Prometheus exports)', example: 'sadf -d -- -u > cpu.csv' },
];
