import { Command, Option } from 'commander';
import { SOURCE_NAMES } from '../../../core/bundle/index.ts';
import { parseSourceList, validate, type RecordOptions } from '../record/options.ts';
import { FatalSourceError, record } from '../record/recorder.ts';
import { checkOutputPath } from '../safe-output.ts';

interface Flags {
  output: string;
  pid?: string;
  cgroup?: string;
  duration?: string;
  interval: string;
  sources: string;
  require?: string;
  label?: string;
  syscallArgs?: boolean;
  redactHostname?: boolean;
  keepRaw?: boolean;
  quiet?: boolean;
  json?: boolean;
  perfEvents?: string;
  cgroup2?: boolean;
  baseline?: boolean;
  schedReader: 'raw' | 'text';
  schedBufferKb?: string;
}

export function recordCommand(): Command {
  return new Command('record')
    .description('Run a command (or attach to a process or cgroup) and record its telemetry into a bundle')
    .usage('[options] -o run.tlab -- COMMAND [ARGS...]')
    .requiredOption('-o, --output <file>', 'bundle to write (.tlab)')
    .option('--pid <pid>', 'attach to a running process (and its descendants) instead of running a command')
    .option('--cgroup <path>', 'attach to an existing cgroup v2 (absolute, or relative to the cgroup2 mount)')
    .option('--duration <seconds>', 'stop after this many seconds (needed to end an attached recording)')
    .option('--interval <seconds>', 'sampling interval for proc, psi and perf (minimum 0.1)', '1')
    .option('--sources <list>', `comma-separated sources (${SOURCE_NAMES.join(',')})`, SOURCE_NAMES.join(','))
    .option('--require <list>', 'sources whose absence is an error instead of a note')
    .option('--label <text>', 'short name of the workload, shown in the app')
    .option('--syscall-args', 'keep syscall argument text (it can leak paths and data)')
    .option('--perf-events <list>', 'extra perf events to count besides the ones probed (comma-separated)')
    .option('--no-cgroup2', 'do not create a cgroup for the command; find its processes by process group instead')
    .option('--baseline', 'run the command once unrecorded first and write the slowdown recording caused into the manifest (overhead.workloadSlowdown)')
    .option('--sched-buffer-kb <kib>', 'the sched source\'s ring buffer per CPU, in KiB (default 8192): larger survives longer stalls of the reader')
    .option('--redact-hostname', 'leave the host name out of the bundle')
    .option('--keep-raw', 'keep the original tool output in the bundle under raw/ (for sched from trace_pipe_raw: the ring-buffer pages, header_page and event formats, so the recording can be decoded again)')
    .addOption(new Option('--sched-reader <reader>', 'how the sched source reads ftrace: raw = each CPU\'s trace_pipe_raw in whole pages, decoded after the workload (little CPU, nothing lost at high rates); text = trace_pipe parsed live (the fallback where trace_pipe_raw cannot be read)').choices(['raw', 'text']).default('raw'))
    .addOption(new Option('--quiet', 'no progress output').conflicts('json'))
    .option('--json', 'progress as JSON lines on stderr')
    .argument('[command...]', 'the command to run, after --')
    .action(async (command: string[], flags: Flags) => {
      let opts: RecordOptions;
      try {
        opts = {
          output: flags.output,
          command: command.length ? command : null,
          pid: flags.pid !== undefined ? Number(flags.pid) : null,
          cgroup: flags.cgroup ?? null,
          durationS: flags.duration !== undefined ? Number(flags.duration) : null,
          intervalS: Number(flags.interval),
          sources: parseSourceList(flags.sources, '--sources'),
          require: flags.require ? parseSourceList(flags.require, '--require') : [],
          label: flags.label ?? null,
          syscallArgs: !!flags.syscallArgs,
          redactHostname: !!flags.redactHostname,
          keepRaw: !!flags.keepRaw,
          schedReader: flags.schedReader,
          ...(flags.schedBufferKb !== undefined ? { schedBufferKb: Number(flags.schedBufferKb) } : {}),
          quiet: !!flags.quiet,
          json: !!flags.json,
          noCgroup: flags.cgroup2 === false,
          baseline: !!flags.baseline,
          perfEvents: (flags.perfEvents ?? '').split(',').map((s) => s.trim()).filter(Boolean),
        };
        validate(opts);
        // Before recording, so a refused output costs nothing (it is checked again when written).
        checkOutputPath(opts.output);
      } catch (e) {
        process.stderr.write(`tlab record: ${(e as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      try {
        process.exitCode = await record(opts);
      } catch (e) {
        const fatal = e instanceof FatalSourceError;
        process.stderr.write(`tlab record: ${fatal ? '' : 'failed: '}${(e as Error).message}\n`);
        if (!fatal && process.env.TLAB_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
        process.exitCode = fatal ? 3 : 1;
      }
    });
}
