import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeRawCapture } from '../core/ftrace-binary/index.ts';
import { extractTraceDat } from '../core/ftrace-binary/testing/trace-cmd.ts';
import { parseTraceDat } from '../core/ftrace-binary/trace-dat.ts';
import { openSource } from '../core/importers/open-source.ts';
import type { BenchRow } from './report.ts';

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * trace.dat import speed on a trace recorded here (root, trace-cmd extract of a private tracefs instance during
 * `perf bench sched messaging`, v7 zstd as trace-cmd writes it): the whole way in (openSource: read, decompress,
 * decode, table, bundle) and decodeRawCapture alone (pages to the sched table), as records per CPU second. CPU
 * time (process.cpuUsage) is the figure to read on a shared machine; the best of 3 runs is kept.
 */
export async function benchTraceDat(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tlab-bench-dat-'));
  try {
    const file = join(dir, 'messaging.dat');
    extractTraceDat(file, ['sched/sched_switch', 'sched/sched_wakeup', 'sched/sched_waking', 'sched/sched_migrate_task'], 'perf bench sched messaging -g 4 -l 200 >/dev/null');
    const bytes = new Uint8Array(readFileSync(file));
    let open = Infinity;
    let decode = Infinity;
    let records = 0;
    for (let k = 0; k < 3; k++) {
      const a = cpuMs();
      const r = await openSource('messaging.dat', bytes);
      const b = cpuMs();
      if (!r.ok) throw new Error(`the recorded trace.dat did not import: ${JSON.stringify(r.error.error)}`);
      records = r.imported!.lines;
      open = Math.min(open, b - a);
      const d = parseTraceDat(bytes);
      const c = cpuMs();
      decodeRawCapture({ headerPage: d.headerPage, formats: d.formats, cpus: d.buffers.flatMap((x) => x.cpus), pageSize: d.pageSize, littleEndian: d.littleEndian, longSize: d.longSize });
      decode = Math.min(decode, cpuMs() - c);
    }
    const model = `trace.dat v7 zstd, perf bench sched messaging (${(bytes.byteLength / 2 ** 20).toFixed(1)} MiB, ${records} records)`;
    return [
      { suite: 'trace-dat', model, backend: 'node', metric: 'openSource_records_per_cpu_second', value: records / (open / 1000), unit: 'records/s' },
      { suite: 'trace-dat', model, backend: 'node', metric: 'openSource_cpu', value: open, unit: 'ms' },
      { suite: 'trace-dat', model, backend: 'node', metric: 'decodeRawCapture_records_per_cpu_second', value: records / (decode / 1000), unit: 'records/s' },
      { suite: 'trace-dat', model, backend: 'node', metric: 'decodeRawCapture_cpu', value: decode, unit: 'ms' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
