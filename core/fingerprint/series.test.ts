import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importCapture } from '../importers/capture-to-bundle.ts';
import { fingerprint, PHASE_STATS } from './fingerprint.ts';
import { canonicalId, commonIds, runSeries } from './series.ts';

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));

describe('fingerprint series', () => {
  it('drops the recording cgroup from counter ids so runs share them', () => {
    expect(canonicalId('counter:task-clock@tlab-15063-0')).toBe('counter:task-clock');
    expect(canonicalId('psi:cgroup:cpu:some')).toBe('psi:cgroup:cpu:some');
  });

  it('fingerprints an imported PerfSpect metric time series (counters only, no samples table)', async () => {
    const runs = [];
    for (const f of ['sys_metrics.csv', 'metric_out.sys.csv']) {
      const { bundle } = await importCapture(f, fixture(`perfspect-series/${f}`));
      expect(bundle.tables.samples).toBeUndefined();
      runs.push(runSeries(bundle, ['counters'], false));
    }
    const ids = commonIds(runs);
    expect(ids).toContain('counter:task-clock per sec@system');
    expect(runs[0]!.tS.length).toBeGreaterThanOrEqual(2);
    const fp = fingerprint(runs[0]!.series, ids, { normalisation: 'cwd', changePoints: { method: 'pelt', params: { penalty: 1, minSize: 2 } }, maxPhases: 2, adfLags: 0 });
    expect(fp.vector.length).toBe(ids.length * 2 * PHASE_STATS.length);
    expect(fp.vector.every(Number.isFinite)).toBe(true);
  });
});

describe('scheduler statistics as fingerprint series', () => {
  it('counts the group’s switches per interval as a naive walk of the sched table does (messaging.tlab)', async () => {
    const { readBundle } = await import('../bundle/reader.ts');
    const { dictColumn, numberColumn } = await import('../bundle/columns.ts');
    const r = await readBundle(new Uint8Array(readFileSync(new URL('../../public/datasets/messaging.tlab', import.meta.url))));
    if (!r.ok) throw new Error('read');
    const s = runSeries(r.bundle, ['usage', 'sched'], false);
    const sw = s.series.get('sched:switches')!;
    expect(sw.length).toBe(s.tS.length);
    // Naive: group pids from the samples' process rows; switches with either side in the group, within the grid.
    const samples = r.bundle.tables.samples!;
    const scope = dictColumn(samples, 'scope');
    const pid = numberColumn(samples, 'pid');
    const pids = new Set<number>();
    for (let i = 0; i < samples.numRows; i++) if (scope.values[scope.codes[i]!] === 'process') pids.add(pid[i]!);
    const sched = r.bundle.tables.sched!;
    const ev = dictColumn(sched, 'event');
    const prev = numberColumn(sched, 'prev_pid');
    const next = numberColumn(sched, 'next_pid');
    const ts = numberColumn(sched, 'ts_ns');
    const { buildSeries } = await import('../forecast/series.ts');
    const frame = buildSeries(r.bundle, ['group:cpu']);
    const lo = frame.tNs[0]! - frame.intervalNs[0]!;
    const hi = frame.tNs[frame.tNs.length - 1]!;
    let naive = 0;
    for (let i = 0; i < sched.numRows; i++)
      if (ev.values[ev.codes[i]!] === 'sched_switch' && ts[i]! > lo && ts[i]! <= hi && (pids.has(prev[i]!) || pids.has(next[i]!))) naive++;
    let got = 0;
    sw.forEach((v, i) => (got += (v * frame.intervalNs[i]!) / 1e9));
    expect(naive).toBeGreaterThan(100);
    expect(got).toBeCloseTo(naive, 6);
  });
});
