import { Command, Option } from 'commander';
import { SOURCE_NAMES } from '../../../core/bundle/index.ts';
import { DEFAULT_THETA, INTERFERENCE_KINDS, parseLevels, parseList, type InterferenceKind } from '../bench/plan.ts';
import { MissingProgramError } from '../bench/procs.ts';
import { runBench } from '../bench/run-bench.ts';
import type { BenchOptions } from '../bench/service-bench.ts';
import { SERVICE_NAMES, SERVICES } from '../bench/services.ts';
import { FatalSourceError } from '../record/recorder.ts';
import { MIN_INTERVAL_S, parseSourceList } from '../record/options.ts';

interface Flags {
  out: string;
  services: string;
  redisMixes: string;
  nginxMixes: string;
  interference: string;
  levels: string;
  secondsPerLevel: string;
  interval: string;
  connections: string;
  seed: string;
  order: string;
  maxRequests: string;
  timeout: string;
  sources: string;
  cgroup2?: boolean;
  redactHostname?: boolean;
  quiet?: boolean;
  json?: boolean;
}

function number(text: string, flag: string, min: number, max: number, integer = false): number {
  const v = Number(text);
  if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new Error(`${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got "${text}")`);
  }
  return v;
}

export function benchCommand(): Command {
  return new Command('bench')
    .description(
      'Start real services on loopback (redis-server, nginx), each in its own cgroup, drive them with a closed-loop client that times every request, ' +
        'run stress-ng interference beside them at increasing levels, and record latency per interval beside proc, PSI and perf: one bundle per service',
    )
    .usage('[options] --out DIR')
    .requiredOption('--out <dir>', 'directory for the bundles (DIR/<service>.tlab)')
    .option('--services <list>', `services to measure (${SERVICE_NAMES.join(',')})`, SERVICE_NAMES.join(','))
    .option('--redis-mixes <list>', `redis request mixes (${SERVICES.redis.mixes.join(',')})`, SERVICES.redis.mixes.join(','))
    .option('--nginx-mixes <list>', `nginx request mixes (${SERVICES.nginx.mixes.join(',')})`, SERVICES.nginx.mixes.join(','))
    .option('--interference <list>', `stress-ng interference kinds (${INTERFERENCE_KINDS.join(',')}), or "none"`, INTERFERENCE_KINDS.join(','))
    .option('--levels <range>', `interference levels, e.g. 0..5 or 0,2,4; level k = k stress-ng workers of the kind (θ = the highest)`, `0..${DEFAULT_THETA}`)
    .option('--seconds-per-level <s>', 'how long each configuration (request mix × interference level) runs', '4')
    .option('--interval <s>', `latency and sampling interval (minimum ${MIN_INTERVAL_S})`, '0.5')
    .option('--connections <n>', 'concurrent client connections (closed loop: one request outstanding on each)', '4')
    .option('--seed <n>', 'seed of the keys, the request mix and the order of configurations', '1')
    .option('--order <order>', 'shuffled (interference settings in a seeded random order) or ascending', 'shuffled')
    .option('--max-requests <n>', 'requests at most per configuration', '2000000')
    .option('--timeout <ms>', 'a request that has not completed after this long fails', '5000')
    .option('--sources <list>', `recorder sources (${SOURCE_NAMES.join(',')}); strace would slow the service down`, 'proc,psi,perf')
    .option('--no-cgroup2', 'do not create cgroups (the service is then found by PID and PSI is the system\'s only)')
    .option('--redact-hostname', 'leave the host name out of the bundles')
    .addOption(new Option('--quiet', 'no progress output').conflicts('json'))
    .option('--json', 'progress as JSON lines on stderr (with the PID of every process started)')
    .action(async (flags: Flags) => {
      let opts: BenchOptions;
      try {
        const services = parseList(flags.services, SERVICE_NAMES, '--services');
        if (services.length === 0) throw new Error('--services: name at least one service');
        const interference: InterferenceKind[] = flags.interference.trim() === 'none' ? [] : parseList(flags.interference, INTERFERENCE_KINDS, '--interference');
        const levels = parseLevels(flags.levels);
        const intervalS = number(flags.interval, '--interval', MIN_INTERVAL_S, 60);
        const secondsPerLevel = number(flags.secondsPerLevel, '--seconds-per-level', intervalS, 600);
        const order = flags.order;
        if (order !== 'shuffled' && order !== 'ascending') throw new Error('--order must be shuffled or ascending');
        if (interference.length === 0 && !levels.includes(0)) throw new Error('--interference none leaves only level 0: include it in --levels');
        opts = {
          outDir: flags.out,
          services: services.map((s) => SERVICES[s]),
          mixes: {
            redis: parseList(flags.redisMixes, SERVICES.redis.mixes, '--redis-mixes'),
            nginx: parseList(flags.nginxMixes, SERVICES.nginx.mixes, '--nginx-mixes'),
          },
          interference,
          levels,
          secondsPerLevel,
          intervalS,
          connections: number(flags.connections, '--connections', 1, 64, true),
          seed: number(flags.seed, '--seed', 0, 2 ** 31 - 1, true),
          order,
          maxRequests: number(flags.maxRequests, '--max-requests', 1, 100_000_000, true),
          timeoutMs: number(flags.timeout, '--timeout', 10, 60_000, true),
          sources: parseSourceList(flags.sources, '--sources'),
          noCgroup: flags.cgroup2 === false,
          redactHostname: !!flags.redactHostname,
          quiet: !!flags.quiet,
          json: !!flags.json,
          commandLine: ['tlab', ...process.argv.slice(2)].map((a) => (/^[\w./:,=@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' '),
        };
        for (const [svc, m] of Object.entries(opts.mixes)) if (m.length === 0) throw new Error(`--${svc}-mixes: name at least one request mix`);
      } catch (e) {
        process.stderr.write(`tlab bench: ${(e as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      try {
        process.exitCode = await runBench(opts);
      } catch (e) {
        const known = e instanceof MissingProgramError || e instanceof FatalSourceError;
        process.stderr.write(`tlab bench: ${known ? '' : 'failed: '}${(e as Error).message}\n`);
        if (!known && process.env.TLAB_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
        process.exitCode = e instanceof MissingProgramError ? 127 : e instanceof FatalSourceError ? 3 : 1;
      }
    });
}
