import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { join } from 'node:path';
import { StraceParser, type TimeOrigin } from '../../../core/importers/index.ts';
import { ChildCpu, exited, killQuietly, toolVersion } from './child-procs.ts';
import { Fifo } from './fifo.ts';
import { LinePump } from './line-pump.ts';
import { problemNotes, type SourceOutcome } from './source.ts';

export type StraceTarget =
  | { kind: 'command'; argv: string[]; stdio: StdioOptions; detached: boolean }
  | { kind: 'attach'; pids: number[] };

/**
 * The "strace" source: strace -f with wall-clock timestamps and durations, written to a FIFO that is parsed
 * while the workload runs. In command mode strace starts the workload, so its exit is the workload's exit.
 */
export class StraceSource {
  private parser: StraceParser | null = null;
  private ended: Promise<void> = Promise.resolve();
  private fifo: Fifo | null = null;
  private pump: LinePump | null = null;
  child: ChildProcess | null = null;
  cpu: ChildCpu | null = null;
  private args: string[] = [];

  private constructor(
    readonly version: string,
    private readonly opts: { keepArgs: boolean; tmpDir: string; keepRaw: boolean },
  ) {}

  /** Throws the reason strace cannot be used here. */
  static async create(opts: { keepArgs: boolean; tmpDir: string; keepRaw: boolean }): Promise<StraceSource> {
    const version = await toolVersion('strace', ['-V']);
    if (!version) throw new Error('strace is not installed (not found on PATH)');
    return new StraceSource(version, opts);
  }

  get lines(): number {
    return this.pump?.lines ?? 0;
  }
  get bytes(): number {
    return this.pump?.bytes ?? 0;
  }

  /** @param origin the wall-clock start: strace -ttt prints epoch seconds. */
  start(target: StraceTarget, origin: TimeOrigin): ChildProcess {
    const parser = new StraceParser({ keepArgs: this.opts.keepArgs, origin });
    this.parser = parser;
    this.fifo = new Fifo(join(this.opts.tmpDir, 'strace.fifo'));
    // Lines go to the parser as bytes: its fast path reads calls without a string per line.
    this.pump = new LinePump(parser, this.opts.keepRaw ? join(this.opts.tmpDir, 'strace.raw') : null);
    this.ended = this.pump.from(this.fifo.stream);
    // -q, not -qq: -qq would also drop the "+++ exited with N +++" lines the syscalls table records as exits.
    this.args = ['-f', '-ttt', '-T', '-q', '-o', this.fifo.path];
    if (this.opts.keepArgs) this.args.push('-s', '256');
    let child: ChildProcess;
    if (target.kind === 'command') {
      child = spawn('strace', [...this.args, '--', ...target.argv], { stdio: target.stdio, detached: target.detached });
    } else {
      child = spawn('strace', [...this.args, ...target.pids.flatMap((p) => ['-p', String(p)])], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    }
    this.child = child;
    this.cpu = new ChildCpu('strace', child);
    // Once strace is gone nothing else will write: let the reader see EOF after the last bytes.
    child.once('exit', () => this.fifo?.close());
    child.once('error', () => this.fifo?.close());
    return child;
  }

  /**
   * In command mode strace ends by itself once the last traced process is gone (graceMs allows for that);
   * attached, it runs until SIGINT makes it detach.
   */
  async stop(graceMs = 0): Promise<void> {
    if (!this.child) return;
    const child = this.child;
    if (graceMs > 0) await Promise.race([exited(child), new Promise((r) => setTimeout(r, graceMs))]);
    if (child.exitCode === null && child.signalCode === null) {
      killQuietly(this.child, 'SIGINT');
      const t = setTimeout(() => killQuietly(this.child, 'SIGKILL'), 5000);
      await exited(this.child);
      clearTimeout(t);
    }
    this.fifo?.close();
    await this.ended;
  }

  finish(stopReason: string | null): SourceOutcome {
    const raw = this.pump?.finish() ?? null;
    const parser = this.parser ?? new StraceParser();
    const r = parser.finish();
    const notes = problemNotes('strace', r.problems, r.problemCount);
    if (r.unfinished > 0) notes.push(`${r.unfinished} call(s) never returned before the trace ended`);
    const overlong = this.pump?.overlong ?? 0;
    if (overlong > 0) notes.push(`${overlong} line(s) longer than 4 MiB were skipped unread (strace never writes such lines: the output was damaged)`);
    const settings = {
      command: ['strace', ...this.args.map((a) => (a === this.fifo?.path ? '<fifo>' : a))],
      keepArgs: this.opts.keepArgs,
      clock: 'strace -ttt wall-clock seconds, shifted to the monotonic origin through a realtime/monotonic pair read at start',
      lines: r.lines,
      wrapper: 'In command mode the first execve is the cgroup wrapper (sh) that moves itself into the cgroup and execs the command',
    };
    return {
      status: stopReason ? 'partial' : 'ok',
      ...(stopReason ? { reason: stopReason } : {}),
      settings,
      tool: { name: 'strace', version: this.version },
      tables: { syscalls: r.table },
      notes,
      ...(raw ? { raw: [{ name: 'strace.log', source: 'strace', description: `strace ${this.args.filter((a) => a !== this.fifo?.path && a !== '-o').join(' ')} output`, data: raw }] } : {}),
    };
  }
}
