import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PerfStatParser } from '../../../core/importers/index.ts';
import { ChildCpu, exited, killQuietly, run, toolVersion } from './child-procs.ts';
import { LinePump } from './line-pump.ts';
import { problemNotes, type SourceOutcome } from './source.ts';

/** Software events first (they work in VMs); hardware ones are kept only where the probe finds them counted. */
export const CANDIDATE_EVENTS = [
  'task-clock',
  'context-switches',
  'cpu-migrations',
  'page-faults',
  'minor-faults',
  'major-faults',
  'cycles',
  'instructions',
  'branches',
  'branch-misses',
  'cache-references',
  'cache-misses',
];

export type PerfTarget = { kind: 'cgroup'; relPath: string } | { kind: 'pids'; pids: number[] } | { kind: 'system' };

/** Whether `perf stat -x, -e EVENT true` counts the event: null if yes, else why not. */
async function probe(event: string): Promise<string | null> {
  const r = await run('perf', ['stat', '-x,', '-e', event, 'true']);
  if (r.code === null) return r.error ?? 'perf could not be run';
  const lines = r.stderr.split('\n').filter((l) => l.includes(','));
  const line = lines.find((l) => l.split(',')[2]?.startsWith(event.split(':')[0]!) || l.split(',')[2] === event) ?? lines[0];
  if (r.code !== 0 || !line) return (r.stderr.split('\n').find((l) => l.trim()) ?? `perf exited with ${r.code}`).trim();
  const value = line.split(',')[0] ?? '';
  if (value.startsWith('<not supported>')) return 'not supported';
  if (value.startsWith('<not counted>')) return 'not counted';
  return null;
}

/**
 * The "perf" source: `perf stat -x, -I ms` on the group (-G cgroup, or -p pids), streamed into PerfStatParser.
 * perf's -I timestamps count from its own start, which is found from when the first interval line arrives.
 */
export class PerfSource {
  private child: ChildProcess | null = null;
  cpu: ChildCpu | null = null;
  private pump: LinePump | null = null;
  private parser: PerfStatParser | null = null;
  private pending: string[] = [];
  private ended: Promise<void> = Promise.resolve();
  private spawnNs = 0;
  private offsetNs = 0;
  private args: string[] = [];
  private target: PerfTarget = { kind: 'system' };
  private readonly notes: string[] = [];

  private constructor(
    readonly version: string,
    readonly events: string[],
    readonly skipped: Record<string, string>,
    private readonly opts: { intervalMs: number; tmpDir: string; keepRaw: boolean; nowNs: () => number },
  ) {}

  /** Probes the events; throws when perf is missing, nothing is countable, or an event the user named is not. */
  static async create(userEvents: string[], opts: { intervalMs: number; tmpDir: string; keepRaw: boolean; nowNs: () => number }): Promise<PerfSource> {
    const version = await toolVersion('perf', ['--version']);
    if (!version) throw new Error('perf is not installed (not found on PATH)');
    const names = [...new Set([...CANDIDATE_EVENTS, ...userEvents])];
    const results = await Promise.all(names.map(probe));
    const events: string[] = [];
    const skipped: Record<string, string> = {};
    names.forEach((e, i) => (results[i] === null ? events.push(e) : (skipped[e] = results[i]!)));
    const badUser = userEvents.filter((e) => skipped[e]);
    if (badUser.length) throw new Error(`perf cannot count ${badUser.map((e) => `${e} (${skipped[e]})`).join(', ')}`);
    if (!events.length) throw new Error(`perf can count none of ${names.join(', ')} here (${Object.values(skipped)[0] ?? ''})`);
    return new PerfSource(version, events, skipped, opts);
  }

  /**
   * Whether perf can count a cgroup v2 group here. It cannot when the perf_event controller is bound to a
   * cgroup v1 hierarchy (possible in hybrid layouts, even one mounted elsewhere): then every -G count
   * reads "<not supported>".
   */
  async cgroupWorks(relPath: string): Promise<string | null> {
    const r = await run('perf', ['stat', '-x,', '-e', 'task-clock', '-a', '-G', relPath, 'true']);
    if (r.code !== 0) return (r.stderr.trim().split('\n')[0] ?? `perf exited with ${r.code}`).trim();
    if (r.stderr.includes('<not supported>')) return 'perf -G reports <not supported> for this cgroup (is the perf_event controller bound to a cgroup v1 hierarchy?)';
    return null;
  }

  /**
   * Resolves true once perf has opened a counter for every event (it opens them before the first interval),
   * or false after the timeout. A workload held stopped can then be let go without losing its first instant.
   */
  async countersOpen(timeoutMs: number): Promise<boolean> {
    const pid = this.child?.pid;
    if (pid === undefined) return false;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitedEarly) return false;
      let open = 0;
      try {
        for (const fd of readdirSync(`/proc/${pid}/fd`)) {
          try {
            if (readlinkSync(`/proc/${pid}/fd/${fd}`) === 'anon_inode:[perf_event]') open++;
          } catch {
            // Closed meanwhile.
          }
        }
      } catch {
        return false;
      }
      if (open >= this.events.length) return true;
      await new Promise((r) => setTimeout(r, 2));
    }
    return false;
  }

  get lines(): number {
    return this.pump?.lines ?? 0;
  }
  get bytes(): number {
    return this.pump?.bytes ?? 0;
  }

  start(target: PerfTarget, note?: string): void {
    this.target = target;
    if (note) this.notes.push(note);
    const where = target.kind === 'cgroup' ? ['-a', '-G', target.relPath] : target.kind === 'pids' ? ['-p', target.pids.join(',')] : ['-a'];
    this.args = ['stat', '-x,', '-I', String(this.opts.intervalMs), '-e', this.events.join(','), ...where];
    this.spawnNs = this.opts.nowNs();
    // Its own process group, so a terminal's Ctrl-C does not end it before the workload has stopped.
    const child = spawn('perf', this.args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    this.child = child;
    this.cpu = new ChildCpu('perf', child);
    this.pump = new LinePump((l) => this.onLine(l), this.opts.keepRaw ? join(this.opts.tmpDir, 'perf.raw') : null);
    this.ended = this.pump.from(child.stderr!);
  }

  private onLine(line: string): void {
    if (this.parser) return this.parser.pushLine(line);
    this.pending.push(line);
    const m = /^\s*(\d+\.\d+),/.exec(line);
    if (!m) return;
    // The line arrives right after perf's clock reads m[1] s; the pipe adds well under a millisecond.
    const arrival = this.opts.nowNs();
    this.offsetNs = Math.max(this.spawnNs, Math.round(arrival - Number(m[1]) * 1e9));
    this.parser = new PerfStatParser({
      offsetNs: this.offsetNs,
      scope: this.target.kind === 'system' ? 'system' : 'group',
      intervalNs: this.opts.intervalMs * 1e6,
    });
    for (const l of this.pending) this.parser.pushLine(l);
    this.pending = [];
  }

  get exitedEarly(): boolean {
    return !!this.child && (this.child.exitCode !== null || this.child.signalCode !== null);
  }

  /** SIGINT makes perf print its last partial interval and exit. */
  async stop(): Promise<void> {
    if (!this.child) return;
    killQuietly(this.child, 'SIGINT');
    const t = setTimeout(() => killQuietly(this.child, 'SIGKILL'), 5000);
    await exited(this.child);
    clearTimeout(t);
    await this.ended;
  }

  finish(stopReason: string | null): SourceOutcome {
    const raw = this.pump?.finish() ?? null;
    if (!this.parser) {
      this.parser = new PerfStatParser({ offsetNs: this.spawnNs, scope: 'group', intervalNs: this.opts.intervalMs * 1e6 });
      for (const l of this.pending) this.parser.pushLine(l);
    }
    const parser = this.parser;
    const r = parser.finish();
    const notes = [...this.notes, ...problemNotes('perf stat', r.problems, r.problemCount)];
    const status = this.child?.exitCode;
    if (r.table.numRows === 0 && status !== 0 && status !== null && status !== undefined) notes.push(`perf exited with ${status}`);
    if (r.notSupported.length) notes.push(`not supported: ${r.notSupported.join(', ')}`);
    return {
      status: stopReason ? 'partial' : 'ok',
      ...(stopReason ? { reason: stopReason } : {}),
      settings: {
        command: ['perf', ...this.args],
        events: this.events,
        notCountedHere: this.skipped,
        intervalMs: this.opts.intervalMs,
        target: this.target,
        startOffsetNs: this.offsetNs,
      },
      tool: { name: 'perf', version: this.version },
      tables: { counters: r.table },
      notes,
      ...(raw ? { raw: [{ name: 'perf-stat.csv', source: 'perf', description: `perf ${this.args.join(' ')} output`, data: raw }] } : {}),
    };
  }
}
