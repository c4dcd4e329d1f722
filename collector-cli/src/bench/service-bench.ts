import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { TableBuilder, type BenchConfiguration, type BenchSection, type SourceName } from '../../../core/bundle/index.ts';
import { Cgroup } from '../record/cgroup.ts';
import { toolVersion } from '../record/child-procs.ts';
import type { Cleanup } from '../record/cleanup.ts';
import type { RecordExtension } from '../record/extension.ts';
import type { SourceOutcome } from '../record/source.ts';
import type { StatusLine } from '../record/status-line.ts';
import { producerVersion } from '../version.ts';
import { ClientProcess } from './client-process.ts';
import { ManagedProcess } from './procs.ts';
import { planService, stressArgs, type InterferenceKind, type PlannedSetting } from './plan.ts';
import { NGINX_FILES, REDIS_KEYS, REDIS_VALUE_BYTES, type ServiceDef } from './services.ts';
import { freePort } from './procs.ts';
import type { BinSummary, FromClient } from './protocol.ts';

export interface BenchOptions {
  outDir: string;
  services: ServiceDef[];
  mixes: Record<string, string[]>;
  interference: InterferenceKind[];
  levels: number[];
  secondsPerLevel: number;
  intervalS: number;
  connections: number;
  seed: number;
  order: 'shuffled' | 'ascending';
  /** Requests at most per configuration. */
  maxRequests: number;
  /** A request that has not completed after this long fails. */
  timeoutMs: number;
  sources: SourceName[];
  noCgroup: boolean;
  redactHostname: boolean;
  quiet: boolean;
  json: boolean;
  /** The command line as typed, for the manifest. */
  commandLine: string;
}

/** Where the programs were found (findProgram), by name. */
export type Programs = Record<string, string>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** Time given stress-ng's workers to start before a configuration's window opens. */
const SETTLE_MS = 300;
/** Least time between deciding a window and its first instant (the server count is read in between). */
const LEAD_NS = 100e6;

type WindowDone = Extract<FromClient, { type: 'window-done' }>;

/**
 * One service under `tlab bench`: it starts the service in its own cgroup on a free loopback port with a private
 * configuration, the client, and (per interference setting) stress-ng in a sibling cgroup; as a recorder
 * extension it runs every configuration on the recording's interval grid and turns the client's intervals into
 * the latency table and the manifest's bench section. `teardown` stops everything it started, by PID.
 */
export class ServiceBench implements RecordExtension {
  readonly source = 'bench' as const;
  readonly label: string;
  groupNote: string;
  private readonly describe: (confined: boolean) => string;

  private readonly latency = new TableBuilder('latency');
  private readonly done: BenchConfiguration[] = [];
  private readonly notes: string[] = [];
  private readonly plan: PlannedSetting[];
  private readonly configCount: number;
  private failed: string | null = null;
  private stopping = false;
  private stress: ManagedProcess | null = null;
  private service: ManagedProcess | null = null;
  private client: ClientProcess | null = null;
  private serviceCgroup: Cgroup | null = null;
  private stressCgroup: Cgroup | null = null;
  private version: string | null = null;
  private port = 0;
  private runningConfig: { id: string; index: number; requests: number; elapsedNs: number } | null = null;
  private lastP99: number | null = null;
  private totals = { requests: 0, errors: 0 };
  private readonly dir: string;
  /** Exit-handler entries for what teardown undoes itself. */
  private readonly undo: { drop(): void }[] = [];
  private readonly intervalNs: number;
  private readonly windowIntervals: number;

  private constructor(
    readonly def: ServiceDef,
    private readonly opts: BenchOptions,
    private readonly programs: Programs,
    private readonly cleanup: Cleanup,
    private readonly status: StatusLine,
  ) {
    this.intervalNs = Math.round(opts.intervalS * 1e9);
    this.windowIntervals = Math.max(1, Math.round(opts.secondsPerLevel / opts.intervalS));
    const mixes = opts.mixes[def.name] ?? [...def.mixes];
    this.plan = planService(def.name, mixes, opts.interference, opts.levels, opts.order, opts.seed);
    this.configCount = this.plan.reduce((n, s) => n + s.configs.length, 0);
    const theta = Math.max(...opts.levels);
    const kinds = opts.interference.length ? opts.interference.join(', ') : 'no';
    this.label = `${def.name} (${mixes.join(', ')}) under ${kinds} interference, levels ${opts.levels.join(',')} (tlab bench)`;
    this.describe = (confined) =>
      `tlab bench: ${def.program} on loopback${confined ? ' in its own cgroup' : ' (no cgroup)'}, driven by a closed-loop client with ${opts.connections} connection(s) ` +
      `that times every request, ${this.windowIntervals} interval(s) of ${opts.intervalS} s per configuration (${this.configCount} configurations: ` +
      `request mixes ${mixes.join(', ')} × interference ${opts.levels.includes(0) ? 'none, ' : ''}${kinds} at levels ${opts.levels.filter((l) => l > 0).join(',') || '-'}; θ = ${theta}; level k = k stress-ng workers of the kind${confined ? ', in a sibling cgroup' : ''}). ` +
      `Command: ${opts.commandLine}`;
    this.groupNote = `${def.program}'s own cgroup v2, created by tlab bench (the client and stress-ng run outside it), so cgroup-scope PSI and usage are the service's`;
    this.dir = mkdtempSync(join(os.tmpdir(), `tlab-bench-${def.name}-`));
    // nginx's worker runs as nobody when started as root: it must be able to pass through to the files it serves.
    chmodSync(this.dir, 0o711);
    const dir = this.dir;
    this.undo.push(cleanup.add(`${def.name} temp dir`, () => rmSync(dir, { recursive: true, force: true })));
  }

  get description(): string {
    return this.describe(this.serviceCgroup !== null);
  }

  get plannedConfigurations(): number {
    return this.configCount;
  }

  /** The cgroup to record (`tlab record --cgroup`), or null when there is none (then `pid`). */
  get cgroupPath(): string | null {
    return this.serviceCgroup?.dir ?? null;
  }

  get pid(): number {
    return this.service!.pid;
  }

  /** Starts the service (and its client); throws with the reason, having stopped whatever it had started. */
  static async start(def: ServiceDef, opts: BenchOptions, programs: Programs, cleanup: Cleanup, status: StatusLine): Promise<ServiceBench> {
    const b = new ServiceBench(def, opts, programs, cleanup, status);
    try {
      await b.startAll();
      return b;
    } catch (e) {
      await b.teardown();
      throw e;
    }
  }

  private async startAll(): Promise<void> {
    const { def, opts } = this;
    if (opts.noCgroup) {
      this.noCgroup('--no-cgroup2 was given');
    } else {
      try {
        const cg = Cgroup.create();
        this.serviceCgroup = cg;
        this.undo.push(this.cleanup.add(`${def.name} cgroup`, () => cg.removeSync()));
        if (opts.interference.length) {
          const st = Cgroup.create();
          this.stressCgroup = st;
          this.undo.push(this.cleanup.add(`${def.name} interference cgroup`, () => st.removeSync()));
        }
      } catch (e) {
        this.noCgroup((e as Error).message);
      }
    }
    const binary = this.programs[def.program]!;
    this.version = await toolVersion(binary, [...def.versionArgs]);
    // The port is free when asked for; another program may take it before the service binds, so try a few.
    let lastWhy = '';
    for (let attempt = 0; attempt < 3 && !this.service; attempt++) {
      const port = await freePort();
      const dir = join(this.dir, `${def.name}-${attempt}`);
      mkdirSync(dir, { mode: 0o711 });
      chmodSync(dir, 0o711);
      const argv = def.prepare(binary, dir, port, this.opts.seed);
      const log = join(dir, 'output.log');
      const p = new ManagedProcess(def.program, argv, { cgroup: this.serviceCgroup, logFile: log, cleanup: this.cleanup, cwd: dir });
      this.status.event('process', { role: 'service', program: def.program, pid: p.pid, port });
      const deadline = Date.now() + 10_000;
      let up = false;
      while (Date.now() < deadline && p.alive) {
        if (await def.ready(port)) {
          up = true;
          break;
        }
        await sleep(50);
      }
      if (up) {
        this.service = p;
        this.port = port;
        break;
      }
      lastWhy = p.alive ? 'it did not answer within 10 s' : `it ended (${p.exitText})`;
      const tail = ManagedProcess.logTail(log) || ManagedProcess.logTail(join(dir, 'nginx-error.log'));
      if (tail) lastWhy += `: ${tail}`;
      await p.stop('SIGKILL', 1000);
    }
    if (!this.service) throw new Error(`${def.program} did not start on 127.0.0.1: ${lastWhy}`);
    this.status.message('info', `${def.program} ${this.version ?? ''} listening on 127.0.0.1:${this.port} (pid ${this.service.pid}${this.serviceCgroup ? `, cgroup ${this.serviceCgroup.dir}` : ''})`);

    const client = new ClientProcess(this.cleanup);
    this.client = client;
    this.status.event('process', { role: 'client', program: 'node', pid: client.pid ?? null });
    const ready = client.next((m): m is Extract<FromClient, { type: 'ready' }> => m.type === 'ready');
    client.send({
      type: 'init',
      service: def.name,
      port: this.port,
      connections: opts.connections,
      seed: opts.seed,
      originMonoNs: process.hrtime.bigint().toString(),
      intervalNs: this.intervalNs,
      timeoutMs: opts.timeoutMs,
      redisKeys: REDIS_KEYS,
      redisValueBytes: REDIS_VALUE_BYTES,
      nginxPaths: Object.fromEntries(Object.entries(NGINX_FILES).map(([k, f]) => [k, f.path])),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the bench client was not ready after 30 s')), 30_000);
    });
    try {
      await Promise.race([ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
    client.onMessage = (m) => {
      if (m.type === 'progress' && this.runningConfig?.id === m.configId) {
        this.runningConfig.requests = m.requests;
        this.runningConfig.elapsedNs = m.elapsedNs;
      }
    };
  }

  private noCgroup(why: string): void {
    this.serviceCgroup = null;
    this.stressCgroup = null;
    const note = `no cgroup v2 (${why}): the service is recorded as its process and descendants (group kind "pid"), PSI is the system's only, and stress-ng runs unconfined`;
    this.notes.push(note);
    this.groupNote = `${this.def.program} and its descendants, found by scanning /proc (${why})`;
    this.status.message('warn', note);
  }

  // --- RecordExtension ---

  async run(ctx: { originMonoNs: bigint; now: () => number; stop: Promise<void> }): Promise<void> {
    void ctx.stop.then(() => {
      this.stopping = true;
      this.client?.send({ type: 'stop' });
    });
    const service = this.service!;
    void service.exited.then(() => {
      if (this.stopping) return;
      this.fail(`${this.def.program} ended during the run (${service.exitText})`);
      this.client?.send({ type: 'stop' });
    });
    const client = this.client!;
    void client.exited.then(() => {
      if (!this.stopping) this.fail(`the bench client ended during the run`);
    });
    const I = this.intervalNs;
    let index = 0;
    try {
      for (const setting of this.plan) {
        if (this.stopping || this.failed) break;
        if (setting.kind !== 'none') await this.startStress(setting.kind, setting.level);
        for (const cfg of setting.configs) {
          if (this.stopping || this.failed) break;
          index++;
          if (this.stress && !this.stress.alive) {
            this.fail(`stress-ng ended early (${this.stress.exitText}) during ${cfg.id}`);
            break;
          }
          const startNs = Math.ceil((ctx.now() + LEAD_NS) / I) * I;
          const endNs = startNs + this.windowIntervals * I;
          const before = await this.def.served(this.port);
          this.runningConfig = { id: cfg.id, index, requests: 0, elapsedNs: 0 };
          const doneP = client.next((m): m is WindowDone => m.type === 'window-done' && m.configId === cfg.id);
          client.send({ type: 'window', configId: cfg.id, mix: cfg.mix, originMonoNs: ctx.originMonoNs.toString(), startNs, endNs, maxRequests: this.opts.maxRequests });
          let result: WindowDone;
          try {
            result = await doneP;
          } catch (e) {
            this.fail((e as Error).message);
            break;
          }
          const after = await this.def.served(this.port);
          this.runningConfig = null;
          const stoppedAt = result.stoppedAtNs;
          if (stoppedAt !== null && stoppedAt <= startNs) break; // Stopped before it began: not run.
          this.addRows(cfg.id, result.bins);
          const served = before !== null && after !== null && service.alive ? after - before - 1 : null;
          this.totals.requests += result.requests;
          this.totals.errors += result.errors;
          this.done.push({
            id: cfg.id,
            service: cfg.service,
            requestMix: cfg.mix,
            interference: { kind: cfg.kind, level: cfg.level, workers: cfg.workers, ...(this.stress ? { command: this.stress.argv.map(String) } : {}) },
            startNs,
            endNs: stoppedAt ?? endNs,
            requests: result.requests,
            errors: result.errors,
            serverRequests: served,
          });
          if (result.capped) this.notes.push(`${cfg.id}: the request cap (${this.opts.maxRequests}) was reached before the window ended`);
          if (result.errors > 0) this.notes.push(`${cfg.id}: ${result.errors} request(s) failed, the first: ${result.firstError ?? 'unknown'}`);
        }
        await this.stopStress();
      }
    } catch (e) {
      this.fail(`the bench failed: ${(e as Error).message}`);
    } finally {
      await this.stopStress();
    }
  }

  private fail(why: string): void {
    this.failed ??= why;
  }

  private async startStress(kind: InterferenceKind, level: number): Promise<void> {
    const dir = join(this.dir, 'stress');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const seconds = (this.windowIntervals * this.intervalNs) / 1e9;
    const configs = (this.opts.mixes[this.def.name] ?? this.def.mixes).length;
    // A bound on its life: its configurations' windows, with room for the gaps between them.
    const bound = configs * (seconds + 2 * this.opts.intervalS + 1) + 30;
    const argv = [this.programs['stress-ng']!, ...stressArgs(kind, level, dir, bound)];
    const p = new ManagedProcess('stress-ng', argv, { cgroup: this.stressCgroup, logFile: join(dir, 'stress-ng.log'), cleanup: this.cleanup, cwd: dir });
    this.stress = p;
    this.status.event('process', { role: 'interference', program: 'stress-ng', pid: p.pid, kind, level });
    await sleep(SETTLE_MS);
    if (!p.alive) this.fail(`stress-ng ${argv.slice(1).join(' ')} ended at once (${p.exitText}): ${ManagedProcess.logTail(join(dir, 'stress-ng.log'))}`);
  }

  private async stopStress(): Promise<void> {
    const p = this.stress;
    this.stress = null;
    if (p) await p.stop('SIGTERM', 3000);
    // Whatever stress-ng left in its cgroup (workers that outlived it).
    if (this.stressCgroup?.populated()) this.stressCgroup.killAll();
  }

  private addRows(configId: string, bins: readonly BinSummary[]): void {
    for (const b of bins) {
      this.latency.push({
        ts_ns: b.endNs,
        interval_ns: b.lengthNs,
        service: this.def.name,
        config: configId,
        requests: b.requests,
        errors: b.errors,
        throughput_rps: b.requests / (b.lengthNs / 1e9),
        mean_us: b.meanUs,
        p50_us: b.p50Us,
        p99_us: b.p99Us,
        max_us: b.maxUs,
      });
      if (b.p99Us !== null) this.lastP99 = b.p99Us;
    }
  }

  kill(): void {
    this.stopping = true;
    this.stress?.kill();
    this.client?.kill();
    this.service?.kill();
  }

  progress(): string {
    const r = this.runningConfig;
    const p99 = this.lastP99 !== null ? `  p99 ${this.lastP99 >= 1000 ? `${(this.lastP99 / 1000).toFixed(2)} ms` : `${Math.round(this.lastP99)} µs`}` : '';
    if (!r) return `${this.def.name}: between configurations (${this.done.length}/${this.configCount} done)${p99}`;
    const rate = r.elapsedNs > 0 ? Math.round(r.requests / (r.elapsedNs / 1e9)) : 0;
    return `${this.def.name} ${r.index}/${this.configCount} ${r.id}  ${rate} req/s${p99}`;
  }

  failure(): string | null {
    return this.failed;
  }

  finish(partial: string | null): { outcome: SourceOutcome; bench: BenchSection } {
    const mixes = this.opts.mixes[this.def.name] ?? [...this.def.mixes];
    const why = partial ?? this.failed;
    const skipped = this.configCount - this.done.length;
    const notes = [...this.notes, ...(skipped > 0 ? [`${skipped} of ${this.configCount} configurations were not run`] : [])];
    const settings = {
      service: this.def.name,
      requestMixes: mixes,
      interference: this.opts.interference,
      levels: this.opts.levels,
      secondsPerLevel: this.opts.secondsPerLevel,
      intervalS: this.opts.intervalS,
      connections: this.opts.connections,
      seed: this.opts.seed,
      order: this.opts.order,
      maxRequestsPerConfiguration: this.opts.maxRequests,
      requestTimeoutMs: this.opts.timeoutMs,
      serviceCgroup: this.serviceCgroup?.dir ?? null,
      interferenceCgroup: this.stressCgroup?.dir ?? null,
    };
    const outcome: SourceOutcome = {
      status: why ? 'partial' : 'ok',
      ...(why ? { reason: why } : {}),
      settings,
      tool: { name: this.def.program, version: this.version },
      tables: { latency: this.latency.finish() },
      ...(notes.length ? { notes } : {}),
    };
    const bench: BenchSection = {
      generator: { name: 'tlab bench', version: producerVersion() },
      intervalNs: this.intervalNs,
      theta: Math.max(...this.opts.levels),
      seed: this.opts.seed,
      service: { name: this.def.name, program: this.def.program, version: this.version, address: `127.0.0.1:${this.port}` },
      client: {
        kind: 'closed-loop',
        connections: this.opts.connections,
        request: this.def.requestText(mixes),
        completedRequests: this.totals.requests,
        errors: this.totals.errors,
      },
      configurations: this.done,
      ...(notes.length ? { notes } : {}),
    };
    return { outcome, bench };
  }

  /** Stops everything it started (client, stress-ng, the service) by PID, removes its cgroups and files. */
  async teardown(): Promise<void> {
    this.stopping = true;
    const problems: string[] = [];
    await this.client?.close().catch((e: Error) => problems.push(e.message));
    await this.stopStress().catch((e: Error) => problems.push(e.message));
    await this.service?.stop('SIGTERM', 5000).catch((e: Error) => problems.push(e.message));
    for (const cg of [this.stressCgroup, this.serviceCgroup]) {
      if (cg) await cg.remove().catch((e: Error) => problems.push(e.message));
    }
    rmSync(this.dir, { recursive: true, force: true });
    // What could not be undone stays registered, for the exit handler to try again.
    if (problems.length === 0) for (const u of this.undo.splice(0)) u.drop();
    for (const p of problems) this.status.message('warn', `cleanup: ${p}`);
  }
}
