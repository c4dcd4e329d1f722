import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { captureToRaw, type RawSchedCapture } from './raw-capture.ts';
import { decodeSchedCapture, type DecodedSched } from './raw-decode.ts';
import { RawPipeReader, type CpuSpool } from './raw-pipe-reader.ts';
import { lostOf, readRingStats, statsDelta, type RingStats } from './ring-stats.ts';
import type { SchedReading } from './sched-text-reader.ts';
import type { TraceSession } from './tracefs.ts';

/** The ring buffer's page: the kernel's sub-buffer size where it can be set (6.8+), else the machine page. */
export function ringPageSize(session: TraceSession, machinePage: number): number {
  const file = session.path('buffer_subbuf_size_kb');
  if (!existsSync(file)) return machinePage;
  const kb = Number(session.read('buffer_subbuf_size_kb').trim());
  return Number.isInteger(kb) && kb > 0 ? kb * 1024 : machinePage;
}

/** sizeof(long) of the kernel: the page header's commit field is a local_t (a long). */
function longSizeFrom(headerPage: string): number {
  const m = /field:\s*local_t\s+commit;\s*offset:\d+;\s*size:(\d+);/.exec(headerPage);
  if (!m) throw new Error(`events/header_page has no "local_t commit" field, so the page layout is unknown: ${JSON.stringify(headerPage.slice(0, 300))}`);
  return Number(m[1]);
}

/**
 * The raw path: each CPU's trace_pipe_raw read in whole pages while the workload runs, and decoded after it.
 * The kernel's ring-buffer counters before and after say exactly how many events it handed out and lost,
 * which the decoded pages must match.
 */
export class SchedRawReader {
  private readonly reader: RawPipeReader;
  private readonly cpus: number;
  private readonly statsBefore: RingStats[];
  private readonly headerPage: string;
  private readonly headerEvent: string | null;
  private readonly formats: RawSchedCapture['formats'];
  private readonly longSize: number;
  private spools: CpuSpool[] | null = null;
  private statsAfter: RingStats[] | null = null;
  private readonly spoolDir: string;

  /** Throws (with the file) when trace_pipe_raw or the layouts cannot be read: the caller falls back to text. */
  constructor(
    private readonly session: TraceSession,
    events: string[],
    readonly pageSize: number,
    opts: { tmpDir: string; pollMs: number },
  ) {
    this.cpus = session.cpuCount();
    if (this.cpus === 0) throw new Error(`${session.path('per_cpu')}: no CPUs listed, so there is no trace_pipe_raw to read`);
    for (let cpu = 0; cpu < this.cpus; cpu++) {
      const p = session.path(`per_cpu/cpu${cpu}/trace_pipe_raw`);
      if (!existsSync(p)) throw new Error(`${p} does not exist`);
    }
    this.headerPage = session.read('events/header_page');
    this.headerEvent = existsSync(session.path('events/header_event')) ? session.read('events/header_event') : null;
    this.longSize = longSizeFrom(this.headerPage);
    this.formats = events.map((e) => ({ system: 'sched', event: e, text: session.read(`events/sched/${e}/format`) }));
    this.statsBefore = readRingStats(this.cpus, (f) => session.path(f));
    this.spoolDir = join(opts.tmpDir, 'trace-pipe-raw');
    mkdirSync(this.spoolDir, { recursive: true });
    this.reader = new RawPipeReader((cpu) => session.path(`per_cpu/cpu${cpu}/trace_pipe_raw`), this.cpus, pageSize, this.spoolDir, opts.pollMs);
  }

  get bytes(): number {
    return this.reader.bytes;
  }
  get cpuSeconds(): number {
    return this.reader.cpuSeconds;
  }
  /** Events the kernel has handed to us so far (its "read events" counters): for the status line. */
  eventsSoFar(): number {
    try {
      return statsDelta(this.statsBefore, readRingStats(this.cpus, (f) => this.session.path(f))).reduce((a, s) => a + s.read, 0);
    } catch {
      return 0;
    }
  }

  start(): void {
    this.reader.start();
  }

  /** After tracing_on 0: drains every page left, the partly filled last one too, then reads the counters. */
  stop(): void {
    this.spools = this.reader.stop();
    this.statsAfter = readRingStats(this.cpus, (f) => this.session.path(f));
  }

  abandon(): void {
    try {
      this.reader.stop();
    } catch {
      // The session is being restored anyway.
    }
  }

  /** Decodes the spooled pages and checks them against the kernel's counters. */
  finish(originMonoNs: bigint, keepRaw: boolean): SchedReading {
    const spools = this.spools ?? [];
    const stats = statsDelta(this.statsBefore, this.statsAfter ?? this.statsBefore).map(({ text: _t, ...s }) => s);
    const capture: RawSchedCapture = {
      pageSize: this.pageSize,
      littleEndian: endianness() === 'LE',
      longSize: this.longSize,
      traceClock: 'mono',
      originNs: originMonoNs,
      headerPage: this.headerPage,
      headerEvent: this.headerEvent,
      formats: this.formats,
      cpus: spools.map((s) => {
        const b = readFileSync(s.path);
        return { cpu: s.cpu, pages: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
      }),
      stats,
    };
    rmSync(this.spoolDir, { recursive: true, force: true });
    const d = decodeSchedCapture(capture, capture.originNs);
    const notes = [...d.notes];
    const problems: string[] = d.problems.map((p) => `decoding: ${p}`);
    problems.push(...this.reader.failures);
    if (this.reader.shortReads) problems.push(`${this.reader.shortReads} reads of trace_pipe_raw returned less than a page`);
    const kernelRead = stats.map((s) => s.read);
    const kernelLost = stats.map(lostOf);
    for (const s of stats) {
      const got = d.eventsByCpu[s.cpu] ?? 0;
      if (got !== s.read) problems.push(`CPU ${s.cpu}: ${got} events decoded, but the kernel handed out ${s.read} (per_cpu/cpu${s.cpu}/stats "read events")`);
      if (s.entries !== 0) problems.push(`CPU ${s.cpu}: ${s.entries} events were still in the ring buffer after the last read`);
      const pageLost = d.lostByCpu[s.cpu] ?? 0;
      // The page headers carry what was overwritten (overrun); the other two the kernel counts on its own.
      if (pageLost !== s.overrun) notes.push(`CPU ${s.cpu}: the page headers report ${pageLost} lost events, the kernel's overrun counter ${s.overrun}`);
    }
    const lost = Math.max(kernelLost.reduce((a, b) => a + b, 0), d.lostByCpu.reduce((a, b) => a + b, 0));
    return {
      table: d.table,
      lostByCpu: stats.map((s) => Math.max(lostOf(s), d.lostByCpu[s.cpu] ?? 0)),
      lost,
      notes: [...problems.map((p) => `NOT TRUSTED: ${p}`), ...notes],
      raw: keepRaw ? captureToRaw(capture) : [],
      settings: {
        pageSize: this.pageSize,
        pages: spools.reduce((a, s) => a + s.pages, 0),
        pagesPerCpu: spools.map((s) => s.pages),
        eventsDecoded: d.eventsByCpu.reduce((a, b) => a + b, 0),
        eventsDecodedPerCpu: d.eventsByCpu,
        eventCounts: d.eventCounts,
        kernelReadEventsPerCpu: kernelRead,
        kernelStatsPerCpu: stats,
        lostFromPageHeadersPerCpu: d.lostByCpu,
        lostUncountedPagesPerCpu: d.lostUncountedByCpu,
        countsMatchKernel: problems.length === 0,
        decodeCpuSeconds: d.cpuSeconds,
      },
      ...(problems.length ? { mismatch: `${problems.length} problem(s), the first: ${problems[0]}` } : {}),
    };
  }
}
