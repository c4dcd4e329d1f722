import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chainBreakNote, switchChainBreaks } from '../../../core/importers/switch-chain.ts';
import { FtraceParser, type TimeOrigin } from '../../../core/importers/index.ts';
import { LinePump } from './line-pump.ts';
import { problemNotes, type SourceOutcome } from './source.ts';
import { TracePipePoller } from './trace-pipe.ts';
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

const BUFFER_KB_PER_CPU = 8192;
const POLL_MS = 100;

/**
 * The "sched" source: scheduler tracepoints through tracefs with trace_clock=mono (so timestamps share the
 * bundle's clock), read from trace_pipe while the workload runs. The whole machine is traced.
 */
export class SchedSource {
  private poller: TracePipePoller | null = null;
  private pump: LinePump | null = null;
  private parser: FtraceParser | null = null;
  private events: string[] = [];
  private lostByCpu: number[] = [];
  private restoreFailures: string[] = [];

  private constructor(
    readonly session: TraceSession,
    private readonly opts: { tmpDir: string; keepRaw: boolean },
  ) {}

  /** Opens tracefs (mounting it if needed); throws the reason when that is impossible. */
  static create(opts: { tmpDir: string; keepRaw: boolean }): SchedSource {
    return new SchedSource(TraceSession.open(`tlab-${process.pid}`), opts);
  }

  get lines(): number {
    return this.pump?.lines ?? 0;
  }
  get bytes(): number {
    return this.pump?.bytes ?? 0;
  }
  get readerCpuSeconds(): number {
    return this.poller?.cpuSeconds ?? 0;
  }

  /** @param origin the monotonic start: with trace_clock=mono, ftrace prints CLOCK_MONOTONIC seconds. */
  start(origin: TimeOrigin): void {
    const s = this.session;
    try {
      s.set('tracing_on', '0');
      s.set('trace_clock', 'mono');
      s.set('buffer_size_kb', String(BUFFER_KB_PER_CPU));
      if (!s.isInstance) s.set('current_tracer', 'nop');
      this.events = SCHED_EVENTS.filter((e) => existsSync(s.path(`events/sched/${e}/enable`)));
      if (!this.events.length) throw new Error('the kernel has no sched tracepoints');
      for (const e of this.events) s.set(`events/sched/${e}/enable`, '1');
      // Empties the ring buffer, so only this recording's events come out.
      s.write('trace', '');
      const parser = new FtraceParser({ origin });
      this.parser = parser;
      this.pump = new LinePump((l) => parser.pushLine(l), this.opts.keepRaw ? join(this.opts.tmpDir, 'ftrace.raw') : null);
      const pump = this.pump;
      this.poller = new TracePipePoller(s.path('trace_pipe'), (c) => pump.push(c), POLL_MS);
      s.set('tracing_on', '1');
      this.poller.start();
    } catch (e) {
      this.poller?.stop();
      this.restoreFailures = s.restore();
      throw e instanceof Error ? e : new Error(String(e));
    }
  }

  /** Stops tracing, drains what is buffered, counts lost events and restores every tracefs setting. */
  stop(): void {
    const s = this.session;
    try {
      s.set('tracing_on', '0');
    } catch {
      // Restored below in any case.
    }
    try {
      this.poller?.stop();
    } finally {
      this.lostByCpu = this.session.lostPerCpu();
      this.restoreFailures = s.restore();
    }
  }

  finish(stopReason: string | null): SourceOutcome {
    const raw = this.pump?.finish() ?? null;
    const parser = this.parser ?? new FtraceParser();
    const r = parser.finish();
    const overrun = this.lostByCpu.reduce((a, b) => a + b, 0);
    const lost = Math.max(overrun, r.lostEvents);
    const notes = problemNotes('ftrace', r.problems, r.problemCount);
    const skipped = Object.entries(r.skippedEvents);
    if (skipped.length) notes.push(`events of other types skipped: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (this.restoreFailures.length) notes.push(`could not restore: ${this.restoreFailures.join('; ')}`);
    const breaks = switchChainBreaks(r.table);
    const breakNote = chainBreakNote(breaks);
    if (breakNote) notes.push(breakNote);
    const reason = [stopReason, lost > 0 ? `${lost} events lost (ring buffer overrun)` : null].filter(Boolean).join('; ');
    return {
      status: reason ? 'partial' : 'ok',
      ...(reason ? { reason } : {}),
      settings: {
        tracefs: this.session.root,
        instance: this.session.isInstance ? this.session.dir : null,
        events: this.events,
        traceClock: 'mono',
        bufferSizeKbPerCpu: BUFFER_KB_PER_CPU,
        readEveryMs: POLL_MS,
        filter: 'none: every task on the machine is traced, not only the workload (the collector included)',
        lostEvents: lost,
        lostEventsPerCpu: this.lostByCpu,
        switchChainBreaks: breaks.total,
        switchChainBreaksPerCpu: breaks.perCpu,
      },
      tool: { name: 'ftrace', version: null },
      tables: { sched: r.table },
      notes,
      ...(raw ? { raw: [{ name: 'trace_pipe.txt', source: 'sched', description: `tracefs trace_pipe text (${this.events.join(', ')}, trace_clock mono)`, data: raw }] } : {}),
    };
  }
}
