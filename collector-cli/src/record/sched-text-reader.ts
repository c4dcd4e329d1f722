import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { FtraceParser, type TimeOrigin } from '../../../core/importers/index.ts';
import type { RawCapture } from '../../../core/bundle/index.ts';
import { LinePump } from './line-pump.ts';
import { problemNotes } from './source.ts';
import { TracePipePoller } from './trace-pipe.ts';
import type { TraceSession } from './tracefs.ts';

/** What a sched reader hands back once recording is over. */
export interface SchedReading {
  table: Table;
  /** Events the kernel lost, per CPU, and in all (the larger of what the kernel and the stream said). */
  lostByCpu: number[];
  lost: number;
  notes: string[];
  raw: RawCapture[];
  settings: Record<string, unknown>;
  /** Set when the events do not add up to what the kernel says it handed out: the outcome is then partial. */
  mismatch?: string;
}

/**
 * The text path: trace_pipe, formatted by the kernel and parsed here as it arrives. Costs about a CPU on a
 * switch-heavy workload; kept as the fallback where trace_pipe_raw cannot be read.
 */
export class SchedTextReader {
  private readonly poller: TracePipePoller;
  private readonly pump: LinePump;
  private readonly parser: FtraceParser;

  constructor(
    private readonly session: TraceSession,
    origin: TimeOrigin,
    opts: { tmpDir: string; keepRaw: boolean; pollMs: number },
  ) {
    const parser = new FtraceParser({ origin });
    this.parser = parser;
    this.pump = new LinePump((l) => parser.pushLine(l), opts.keepRaw ? join(opts.tmpDir, 'ftrace.raw') : null);
    const pump = this.pump;
    this.poller = new TracePipePoller(session.path('trace_pipe'), (c) => pump.push(c), opts.pollMs);
  }

  get lines(): number {
    return this.pump.lines;
  }
  get bytes(): number {
    return this.pump.bytes;
  }
  get cpuSeconds(): number {
    return this.poller.cpuSeconds;
  }

  start(): void {
    this.poller.start();
  }

  /** After tracing_on 0: reads what is left. The kernel's counters are read by the caller before the instance goes. */
  stop(): void {
    this.poller.stop();
  }

  /** Stops the timer without reading, when starting failed. */
  abandon(): void {
    try {
      this.poller.stop();
    } catch {
      // The session is being restored anyway.
    }
  }

  finish(lostByCpu: number[], events: string[]): SchedReading {
    const raw = this.pump.finish();
    const r = this.parser.finish();
    const overrun = lostByCpu.reduce((a, b) => a + b, 0);
    const notes = problemNotes('ftrace', r.problems, r.problemCount);
    const skipped = Object.entries(r.skippedEvents);
    if (skipped.length) notes.push(`events of other types skipped: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    return {
      table: r.table,
      lostByCpu,
      lost: Math.max(overrun, r.lostEvents),
      notes,
      raw: raw ? [{ name: 'trace_pipe.txt', source: 'sched', description: `tracefs trace_pipe text (${events.join(', ')}, trace_clock mono)`, data: raw }] : [],
      settings: { traceLines: this.pump.lines },
    };
  }
}
