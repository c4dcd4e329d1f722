import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Cleanup } from '../record/cleanup.ts';
import { record } from '../record/recorder.ts';
import { StatusLine } from '../record/status-line.ts';
import { checkOutputPath } from '../safe-output.ts';
import { findProgram } from './procs.ts';
import { ServiceBench, type BenchOptions, type Programs } from './service-bench.ts';

/** The bundle `tlab bench` writes for a service. */
export function benchOutput(outDir: string, service: string): string {
  return join(outDir, `${service}.tlab`);
}

/**
 * `tlab bench`: for each service in turn, start it (ServiceBench) and record it with the recorder attached to its
 * cgroup, the bench running as the recorder's extension; one bundle per service. Ctrl-C / SIGTERM stops the
 * service being measured (its bundle is written, marked partial) and skips the rest; a second one kills what runs;
 * everything started is stopped by PID on every path. Resolves with the exit status.
 */
export async function runBench(opts: BenchOptions): Promise<number> {
  const status = StatusLine.choose(opts);
  // Every program is looked for before anything starts, so a missing one costs nothing.
  const programs: Programs = {};
  for (const s of opts.services) programs[s.program] = findProgram(s.program, s.debianPackage);
  if (opts.interference.length && opts.levels.some((l) => l > 0)) programs['stress-ng'] = findProgram('stress-ng', 'stress-ng');
  mkdirSync(opts.outDir, { recursive: true });
  for (const s of opts.services) checkOutputPath(benchOutput(opts.outDir, s.name));

  const cleanup = new Cleanup();
  let signals = 0;
  let stoppedBy: NodeJS.Signals | null = null;
  let current: ServiceBench | null = null;
  // The recorder has its own handlers while it records (they stop the recording and tell the bench); these see
  // the same signals and stop the services still to come, or, outside a recording, the one being started.
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    stoppedBy ??= sig;
    if (signals === 2) current?.kill();
    else if (signals >= 3) process.exit(130);
  };
  const names: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of names) process.on(s, onSignal);
  let exitCode = 0;
  const written: string[] = [];
  try {
    for (const def of opts.services) {
      if (stoppedBy) break;
      const output = benchOutput(opts.outDir, def.name);
      status.message('info', `${def.name}: starting ${def.program}`);
      let bench: ServiceBench;
      try {
        bench = await ServiceBench.start(def, opts, programs, cleanup, status);
      } catch (e) {
        status.message('error', `${def.name}: ${(e as Error).message}`);
        exitCode = 1;
        continue;
      }
      current = bench;
      try {
        if (stoppedBy) break;
        status.message('info', `${def.name}: ${bench.plannedConfigurations} configurations, recording into ${output}`);
        const cgroup = bench.cgroupPath;
        await record({
          output,
          command: null,
          pid: cgroup ? null : bench.pid,
          cgroup,
          durationS: null,
          intervalS: opts.intervalS,
          sources: opts.sources,
          require: [],
          label: null,
          syscallArgs: false,
          redactHostname: opts.redactHostname,
          keepRaw: false,
          quiet: opts.quiet,
          json: opts.json,
          perfEvents: [],
          noCgroup: opts.noCgroup,
          baseline: false,
          extension: bench,
        });
        written.push(output);
        const why = bench.failure();
        if (why) {
          status.message('error', `${def.name}: ${why}`);
          exitCode = 1;
        }
      } finally {
        current = null;
        await bench.teardown();
      }
    }
  } finally {
    for (const s of names) process.off(s, onSignal);
    for (const f of cleanup.dispose()) status.message('warn', `cleanup: ${f}`);
  }
  status.event('bench-done', { outputs: written, stoppedBy });
  if (stoppedBy) {
    status.message('warn', `stopped by ${stoppedBy}${written.length ? `; wrote ${written.join(', ')}` : ''}`);
    return 130;
  }
  return exitCode;
}
