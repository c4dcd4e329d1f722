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
