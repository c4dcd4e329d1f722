import { existsSync } from 'node:fs';
import { chainBreakNote, switchChainBreaks } from '../../../core/importers/switch-chain.ts';
import type { TimeOrigin } from '../../../core/importers/index.ts';
import { SchedRawReader, ringPageSize } from './sched-raw-reader.ts';
import { SchedTextReader, type SchedReading } from './sched-text-reader.ts';
import type { SourceOutcome } from './source.ts';
import { pageSize as machinePageSize } from './sysconf.ts';
import { TraceSession } from './tracefs.ts';

export const SCHED_EVENTS = [
  'sched_switch',
  'sched_wakeup',
  'sched_wakeup_new',
  'sched_migrate_task',
  'sched_process_fork',
  'sched_process_exit',
  'sched_process_exec',
];

/** trace_pipe_raw (pages, decoded after the workload) or trace_pipe (text, parsed as it arrives). */
export type SchedReaderKind = 'raw' | 'text';
export const SCHED_READERS: readonly SchedReaderKind[] = ['raw', 'text'];

export const DEFAULT_BUFFER_KB_PER_CPU = 8192;
const POLL_MS = 100;

/**
 * The "sched" source: scheduler tracepoints through tracefs with trace_clock=mono (so timestamps share the
 * bundle's clock), read while the workload runs. The whole machine is traced. Reads trace_pipe_raw unless
 * told otherwise or it cannot be read, then trace_pipe; the outcome says which and why.
 */
export class SchedSource {
  private raw: SchedRawReader | null = null;
  private text: SchedTextReader | null = null;
  private events: string[] = [];
  private lostByCpu: number[] = [];
  private restoreFailures: string[] = [];
  private origin: TimeOrigin | null = null;
  /** Why the text path is used although raw was asked for; null when raw is used or text was asked for. */
  private fallback: string | null = null;

  private constructor(
    readonly session: TraceSession,
    private readonly opts: { tmpDir: string; keepRaw: boolean; reader: SchedReaderKind; bufferKb: number },
  ) {}

  /** Opens tracefs (mounting it if needed); throws the reason when that is impossible. */
  static create(opts: { tmpDir: string; keepRaw: boolean; reader?: SchedReaderKind; bufferKb?: number }): SchedSource {
    return new SchedSource(TraceSession.open(`tlab-${process.pid}`), { ...opts, reader: opts.reader ?? 'raw', bufferKb: opts.bufferKb ?? DEFAULT_BUFFER_KB_PER_CPU });
  }

  /** The reader in use once started. */
  get reader(): SchedReaderKind | null {
    return this.raw ? 'raw' : this.text ? 'text' : null;
  }

  get lines(): number {
    return this.raw ? this.raw.eventsSoFar() : (this.text?.lines ?? 0);
  }
  get bytes(): number {
    return this.raw?.bytes ?? this.text?.bytes ?? 0;
  }
  get readerCpuSeconds(): number {
    return this.raw?.cpuSeconds ?? this.text?.cpuSeconds ?? 0;
  }

  /** @param origin the monotonic start: with trace_clock=mono, ftrace's timestamps are CLOCK_MONOTONIC. */
  start(origin: TimeOrigin): void {
    const s = this.session;
    this.origin = origin;
    try {
      s.set('tracing_on', '0');
      s.set('trace_clock', 'mono');
      s.set('buffer_size_kb', String(this.opts.bufferKb));
      if (!s.isInstance) s.set('current_tracer', 'nop');
      this.events = SCHED_EVENTS.filter((e) => existsSync(s.path(`events/sched/${e}/enable`)));
      if (!this.events.length) throw new Error('the kernel has no sched tracepoints');
      for (const e of this.events) s.set(`events/sched/${e}/enable`, '1');
      // Empties the ring buffer (and zeroes its counters), so only this recording's events come out.
      s.write('trace', '');
      if (this.opts.reader === 'raw') {
        try {
          this.raw = new SchedRawReader(s, this.events, ringPageSize(s, machinePageSize()), { tmpDir: this.opts.tmpDir, pollMs: POLL_MS });
        } catch (e) {
          this.fallback = `trace_pipe_raw cannot be read (${(e as Error).message}), so trace_pipe text is read instead`;
        }
      }
      if (!this.raw) this.text = new SchedTextReader(s, origin, { tmpDir: this.opts.tmpDir, keepRaw: this.opts.keepRaw, pollMs: POLL_MS });
      s.set('tracing_on', '1');
      (this.raw ?? this.text)!.start();
    } catch (e) {
      this.raw?.abandon();
      this.text?.abandon();
      this.restoreFailures = s.restore();
      throw e instanceof Error ? e : new Error(String(e));
    }
  }

  /** Why the text path is in use although raw was asked for (for a warning), or null. */
  get fallbackReason(): string | null {
    return this.fallback;
  }

  /** Stops tracing, drains what is buffered, reads the kernel's counters and restores every tracefs setting. */
  stop(): void {
    const s = this.session;
    try {
      s.set('tracing_on', '0');
    } catch {
      // Restored below in any case.
    }
    try {
      this.raw?.stop();
      this.text?.stop();
    } finally {
      try {
        this.lostByCpu = this.session.lostPerCpu();
      } finally {
        this.restoreFailures = s.restore();
      }
    }
  }

  finish(stopReason: string | null): SourceOutcome {
    const originNs = this.origin ? BigInt(this.origin.sec) * 1_000_000_000n + BigInt(this.origin.nsec) : 0n;
    let r: SchedReading;
    try {
      r = this.raw ? this.raw.finish(originNs, this.opts.keepRaw) : this.text!.finish(this.lostByCpu, this.events);
    } catch (e) {
      return { status: 'unavailable', reason: `the recorded trace_pipe_raw pages could not be decoded: ${(e as Error).message}`, settings: this.settings(), tables: {}, tool: { name: 'ftrace', version: null } };
    }
    const notes = [...r.notes];
    if (this.fallback) notes.unshift(`FALLBACK: ${this.fallback}`);
    if (this.restoreFailures.length) notes.push(`could not restore: ${this.restoreFailures.join('; ')}`);
    const breaks = switchChainBreaks(r.table);
    const breakNote = chainBreakNote(breaks);
    if (breakNote) notes.push(breakNote);
    if (r.lost > 0) notes.unshift(`EVENTS LOST: ${r.lost} events the kernel wrote never reached the bundle (${r.lostByCpu.map((n, cpu) => `CPU ${cpu}: ${n}`).join(', ')}); the ring buffer was overrun`);
    const reason = [stopReason, r.lost > 0 ? `${r.lost} events lost (ring buffer overrun)` : null, r.mismatch ? `event counts do not match the kernel's: ${r.mismatch}` : null].filter(Boolean).join('; ');
    return {
      status: reason ? 'partial' : 'ok',
      ...(reason ? { reason } : {}),
      settings: {
        ...this.settings(),
        ...r.settings,
        lostEvents: r.lost,
        lostEventsPerCpu: r.lostByCpu,
        switchChainBreaks: breaks.total,
        switchChainBreaksPerCpu: breaks.perCpu,
      },
      tool: { name: 'ftrace', version: null },
      tables: { sched: r.table },
      notes,
      ...(r.raw.length ? { raw: r.raw } : {}),
    };
  }

  private settings(): Record<string, unknown> {
    return {
      tracefs: this.session.root,
      instance: this.session.isInstance ? this.session.dir : null,
      reader: this.reader === 'raw' ? 'trace_pipe_raw' : 'trace_pipe',
      readerAsked: this.opts.reader === 'raw' ? 'trace_pipe_raw' : 'trace_pipe',
      ...(this.fallback ? { readerFallback: this.fallback } : {}),
      events: this.events,
      traceClock: 'mono',
      // ts_ns 0 on the trace clock: lines recordings up with each other (the manifest's origin is wall-clock).
      ...(this.origin ? { clockOriginMonoNs: (BigInt(this.origin.sec) * 1_000_000_000n + BigInt(this.origin.nsec)).toString() } : {}),
      bufferSizeKbPerCpu: this.opts.bufferKb,
      readEveryMs: POLL_MS,
      filter: 'none: every task on the machine is traced, not only the workload (the collector included)',
    };
  }
}
