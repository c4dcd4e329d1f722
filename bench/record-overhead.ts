import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBundle } from '../core/bundle/index.ts';
import { benchSchedReaders } from './record-sched-readers.ts';
import type { BenchRow } from './report.ts';

const WORKLOAD = ['sh', '-c', 'tar cf - /usr/share/doc 2>/dev/null | gzip -6 > /dev/null'];
const TLAB = new URL('../collector-cli/bin/tlab.js', import.meta.url).pathname;

function wallSeconds(cmd: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd[0]!, cmd.slice(1), { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited with ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * What recording costs: the workload's wall time bare, under tlab without strace, with strace alone, and with
 * every source. Each recording also runs --baseline, so the slowdown the bundle reports about itself is printed
 * beside the one measured here.
 */
export async function benchRecordOverhead(): Promise<BenchRow[]> {
  if (process.getuid?.() !== 0) {
    console.error('bench: record overhead needs root (cgroups, tracefs, strace); skipped');
    return [];
  }
  const dir = mkdtempSync(join(tmpdir(), 'tlab-bench-'));
  const rows: BenchRow[] = [];
  try {
    const bare = Math.min(wallSeconds(WORKLOAD), wallSeconds(WORKLOAD));
    rows.push({ suite: 'record', model: 'tar | gzip -6', backend: 'bare', metric: 'wall', value: bare, unit: 's' });
    for (const [name, sources] of [
      ['tlab without strace', 'proc,psi,perf,sched'],
      ['tlab strace only', 'proc,strace'],
      ['tlab all sources', 'proc,psi,strace,perf,sched'],
    ] as const) {
      const out = join(dir, `${name.replace(/\W+/g, '-')}.tlab`);
      const wall = wallSeconds([process.execPath, TLAB, 'record', '--quiet', '--baseline', '--interval', '0.2', '--sources', sources, '-o', out, '--', ...WORKLOAD]);
      const r = await readBundle(new Uint8Array(readFileSync(out)));
      if (!r.ok) throw new Error(`${out}: ${r.error.kind}`);
      const o = r.bundle.manifest.overhead ?? {};
      const workloadS = (r.bundle.manifest.workload.endNs - r.bundle.manifest.workload.startNs) / 1e9;
      rows.push(
        { suite: 'record', model: 'tar | gzip -6', backend: name, metric: 'workload_wall', value: workloadS, unit: 's' },
        { suite: 'record', model: 'tar | gzip -6', backend: name, metric: 'slowdown_vs_bare', value: workloadS / bare, unit: 'x' },
        { suite: 'record', model: 'tar | gzip -6', backend: name, metric: 'manifest_workload_slowdown', value: o['workloadSlowdown'] ?? Number.NaN, unit: 'x' },
        { suite: 'record', model: 'tar | gzip -6', backend: name, metric: 'collector_cpu_share_of_one_cpu', value: o['collectorCpuShareOfOneCpu'] ?? Number.NaN, unit: 'fraction' },
        { suite: 'record', model: 'tar | gzip -6', backend: name, metric: 'tlab_process_wall', value: wall, unit: 's' },
      );
    }
    rows.push(...(await benchSchedReaders(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
