import { existsSync, readFileSync } from 'node:fs';
import { completeBundle, readBundle } from '../core/bundle/index.ts';
import { inflateBackend, useOneShotInflate } from '../core/bundle/unzip-stream.ts';
import { zlibInflateRaw } from '../collector-cli/src/zlib-inflate.ts';
import { OVERVIEW_COLUMNS, buildOverview } from '../core/overview/index.ts';
import type { BenchRow } from './report.ts';

const cpuMs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

/**
 * The core reader alone (no browser): MiB/s of bundle read and summarised (readBundle of the columns the overview
 * reads, OVERVIEW_COLUMNS, as the loader worker does, then buildOverview), the floor under the app's load time;
 * wall and CPU time (process.cpuUsage: on a shared machine wall time is noisy), and the two steps apart. The rest
 * of the columns, decoded when a view first asks (completeBundle), and a whole read are timed too: a format 1
 * bundle is always read whole. Each file is read with zlib's one-shot inflate (what `tlab` uses) and with
 * DecompressionStream (what a browser has); TLAB_JS_INFLATE=1 picks fflate's instead of both.
 * MiB/s of the file alone would rise for a layout that merely compressed worse, so rows/s are printed too, and with
 * TLAB_READ_BASELINE=DIR (the same bundles in another layout, e.g. copies from before a `tlab migrate`) the time
 * against the baseline file's size: baseline MiB / this file's time, the same data read faster or not.
 */
/**
 * Every file is read by every inflate, untimed, before anything is timed: with one warm-up run per file,
 * whichever inflate was benched first summarised 2-3 times slower (the overview's loops still being optimised,
 * the young heap still growing), whichever it was.
 */
const WARM_UP = 3;
const RUNS = 7;

export async function benchReadInNode(files: readonly string[]): Promise<BenchRow[]> {
  const backends = [zlibInflateRaw, null];
  for (const inflate of backends) {
    useOneShotInflate(inflate);
    await benchFiles(files, '', WARM_UP, 0);
  }
  const rows: BenchRow[] = [];
  for (const inflate of backends) {
    useOneShotInflate(inflate);
    const backend = { 'one-shot': 'node-zlib', 'decompression-stream': 'node-stream', fflate: 'node-fflate' }[inflateBackend()];
    if (rows.some((r) => r.backend === backend)) continue;
    rows.push(...(await benchFiles(files, backend, 1, RUNS)));
  }
  useOneShotInflate(zlibInflateRaw);
  return rows;
}

async function benchFiles(files: readonly string[], backend: string, warmUp: number, runs: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    const best = { wall: Infinity, cpu: Infinity, readCpu: Infinity, summaryCpu: Infinity, completeCpu: Infinity, wholeCpu: Infinity, wholeWall: Infinity };
    let tableRows = 0;
    let format = '';
    for (let i = 0; i < warmUp + runs; i++) {
      const c0 = cpuMs();
      const t0 = performance.now();
      const r = await readBundle(bytes, { columns: OVERVIEW_COLUMNS });
      if (!r.ok) throw new Error(`${file}: ${r.error.kind}`);
      const c1 = cpuMs();
      buildOverview(r.bundle);
      const wall = performance.now() - t0;
      const c2 = cpuMs();
      await completeBundle(r.bundle);
      const c3 = cpuMs();
      const t4 = performance.now();
      const w = await readBundle(bytes);
      if (!w.ok) throw new Error(`${file}: ${w.error.kind}`);
      const wholeWall = performance.now() - t4;
      const c4 = cpuMs();
      if (i >= warmUp) {
        best.wall = Math.min(best.wall, wall);
        best.cpu = Math.min(best.cpu, c2 - c0);
        best.readCpu = Math.min(best.readCpu, c1 - c0);
        best.summaryCpu = Math.min(best.summaryCpu, c2 - c1);
        best.completeCpu = Math.min(best.completeCpu, c3 - c2);
        best.wholeCpu = Math.min(best.wholeCpu, c4 - c3);
        best.wholeWall = Math.min(best.wholeWall, wholeWall);
      }
      tableRows = Object.values(r.bundle.tables).reduce((n, t) => n + (t?.numRows ?? 0), 0);
      format = r.bundle.manifest.formatVersion;
    }
    if (runs === 0) continue;
    const model = file.split('/').pop()!;
    const mib = bytes.byteLength / 2 ** 20;
    const notes = `format ${format}, ${mib.toFixed(2)} MiB`;
    rows.push(
      { suite: 'read', model, backend, metric: 'read_and_summarise_ms', value: best.wall, unit: 'ms' },
      { suite: 'read', model, backend, metric: 'throughput_wall', value: mib / (best.wall / 1000), unit: 'MiB/s' },
      { suite: 'read', model, backend, metric: 'throughput_cpu', value: mib / (best.cpu / 1000), unit: 'MiB/s' },
      { suite: 'read', model, backend, metric: 'read_cpu_ms', value: best.readCpu, unit: 'ms' },
      { suite: 'read', model, backend, metric: 'summarise_cpu_ms', value: best.summaryCpu, unit: 'ms' },
      { suite: 'read', model, backend, metric: 'rest_of_columns_cpu_ms', value: best.completeCpu, unit: 'ms', notes: 'completeBundle after the overview read' },
      { suite: 'read', model, backend, metric: 'whole_read_cpu_ms', value: best.wholeCpu, unit: 'ms', notes: 'readBundle of every column' },
      { suite: 'read', model, backend, metric: 'whole_read_wall_ms', value: best.wholeWall, unit: 'ms' },
      { suite: 'read', model, backend, metric: 'rows', value: tableRows, unit: 'rows', notes },
      { suite: 'read', model, backend, metric: 'rows_per_s_wall', value: tableRows / 1e6 / (best.wall / 1000), unit: 'Mrows/s' },
      { suite: 'read', model, backend, metric: 'rows_per_s_cpu', value: tableRows / 1e6 / (best.cpu / 1000), unit: 'Mrows/s' },
    );
    const baselineDir = process.env.TLAB_READ_BASELINE;
    const baseline = baselineDir ? `${baselineDir}/${model}` : null;
    if (baseline && existsSync(baseline)) {
      const baseMib = readFileSync(baseline).byteLength / 2 ** 20;
      const baseNotes = `baseline ${baseline}: ${baseMib.toFixed(2)} MiB`;
      rows.push(
        { suite: 'read', model, backend, metric: 'throughput_wall_of_baseline_size', value: baseMib / (best.wall / 1000), unit: 'MiB/s', notes: baseNotes },
        { suite: 'read', model, backend, metric: 'throughput_cpu_of_baseline_size', value: baseMib / (best.cpu / 1000), unit: 'MiB/s' },
      );
    }
  }
  return rows;
}
