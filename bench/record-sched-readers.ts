import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readBundle } from '../core/bundle/index.ts';
import type { BenchRow } from './report.ts';

const TLAB = new URL('../collector-cli/bin/tlab.js', import.meta.url).pathname;
/** perf bench sched pipe loops: 1M makes about 4M sched events, at which trace_pipe text fell behind here. */
const PIPE_LOOPS = Number(process.env.TLAB_BENCH_PIPE_LOOPS ?? 1_000_000);

const WORKLOADS: { model: string; cmd: string[] }[] = [
  { model: `perf bench sched pipe -l ${PIPE_LOOPS}`, cmd: ['perf', 'bench', 'sched', 'pipe', '-l', String(PIPE_LOOPS)] },
  { model: 'perf bench sched messaging', cmd: ['perf', 'bench', 'sched', 'messaging'] },
];

function timed(cmd: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited with ${r.status}${r.error ? ` (${r.error.message})` : ''}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const sum = (xs: unknown): number => (Array.isArray(xs) ? xs.reduce((a: number, b) => a + Number(b), 0) : Number.NaN);

/**
 * The sched source's two readers side by side on switch-heavy workloads: what the collector's own process costs
 * while the workload runs, how many events reach the bundle and how many the kernel lost (its per-CPU stats),
 * and how much slower the workload runs than bare. Other users' load shows in these figures: the 1-minute load
 * average before and after each run is printed beside them.
 */
export async function benchSchedReaders(dir: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const w of WORKLOADS) {
    const row = (backend: string, metric: string, value: number, unit: string) => rows.push({ suite: 'record', model: w.model, backend, metric, value, unit });
    row('bare', 'loadavg_1m_before', loadavg()[0]!, 'load');
    const bare = timed(w.cmd);
    row('bare', 'wall', bare, 's');
    for (const reader of ['text', 'raw'] as const) {
      const backend = `sched from ${reader === 'raw' ? 'trace_pipe_raw' : 'trace_pipe'}`;
      const out = join(dir, `sched-${reader}-${w.cmd[3]}.tlab`);
      row(backend, 'loadavg_1m_before', loadavg()[0]!, 'load');
      const tlabWall = timed([process.execPath, TLAB, 'record', '--quiet', '--interval', '0.5', '--sources', 'sched', '--require', 'sched', '--sched-reader', reader, '-o', out, '--', ...w.cmd]);
      const r = await readBundle(new Uint8Array(readFileSync(out)));
      if (!r.ok) throw new Error(`${out}: ${r.error.kind}`);
      const m = r.bundle.manifest;
      const s = m.sources.sched;
      const settings = (s?.settings ?? {}) as Record<string, unknown>;
      if (settings.reader !== (reader === 'raw' ? 'trace_pipe_raw' : 'trace_pipe')) throw new Error(`${out}: asked for ${reader}, the bundle says ${String(settings.reader)} (${String(settings.readerFallback)})`);
      const o = m.overhead ?? {};
      const workloadS = (m.workload.endNs - m.workload.startNs) / 1e9;
      const recorded = r.bundle.tables.sched?.numRows ?? 0;
      const lost = Number(settings.lostEvents ?? Number.NaN);
      row(backend, 'collector_cpu_share_while_recording', o['collectorCpuShareWhileRecording'] ?? Number.NaN, 'fraction of one CPU');
      row(backend, 'reader_cpu_seconds', o['tracePipeReaderCpuSeconds'] ?? Number.NaN, 's');
      row(backend, 'decode_cpu_seconds_after', Number(settings.decodeCpuSeconds ?? 0), 's');
      row(backend, 'collector_cpu_share_incl_decode', o['collectorCpuShareOfOneCpu'] ?? Number.NaN, 'fraction of one CPU');
      row(backend, 'events_recorded', recorded, 'events');
      row(backend, 'events_lost_kernel_stats', lost, 'events');
      row(backend, 'lost_share', lost / Math.max(1, recorded + lost), 'fraction');
      if (reader === 'raw') row(backend, 'kernel_read_events', sum(settings.kernelReadEventsPerCpu), 'events');
      row(backend, 'workload_wall', workloadS, 's');
      row(backend, 'slowdown_vs_bare', workloadS / bare, 'x');
      row(backend, 'tlab_process_wall', tlabWall, 's');
      row(backend, 'status_ok', s?.status === 'ok' ? 1 : 0, 'bool');
      row(backend, 'loadavg_1m_after', loadavg()[0]!, 'load');
    }
  }
  return rows;
}
