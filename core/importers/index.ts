export { LineSplitter, readLines } from './lines.ts';
export { parseSecondsToParts, fractionToNs, secondsTextToNs, RelativeClock, type TimeOrigin } from './time-origin.ts';
export { ProblemLog, type ParseProblem } from './problems.ts';
export { StraceParser, type StraceOptions, type StraceResult, type StraceTimestampStyle } from './strace.ts';
export { FtraceParser, type FtraceOptions, type FtraceResult } from './ftrace.ts';
export { SCHED_EVENTS } from './ftrace-events.ts';
export { numericPrevState } from './sched-state.ts';
export { PerfStatParser, type PerfStatOptions, type PerfStatResult } from './perf-stat.ts';
