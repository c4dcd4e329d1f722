import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NEURAL_DEFAULTS } from '../../core/forecast/grid.ts';
import { parseForecastSpec } from '../../core/forecast/spec.ts';
import { parseSchedSpec } from '../../core/sched-lab/spec.ts';
import { parseVerifiedSpec } from '../../core/verified-lab/spec.ts';
import * as forecast from './forecast/spec-form.ts';
import * as sched from './sched/spec-form.ts';
import * as verified from './verified/spec-form.ts';
import { specFromUrl, urlWithSpec, wantsRun } from './url-spec.ts';

const core = ({ epochs, width, batchSize }: { epochs: number; width: number; batchSize: number }) => ({ epochs, width, batchSize });
const json = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as unknown;

/**
 * A spec loaded into a lab's form (a link, a replay, an imported file) comes back out of the form unchanged, every
 * field the form does not show included: what makes a link reproduce a configuration, and a browser replay run the
 * same experiment as `tlab run` on the same file. Bundle paths are compared as the lab names them.
 */
describe('specs round-trip through the labs\' forms', () => {
  const withBundles = <T extends { bundles: { path: string }[] }>(s: T, key: (p: string) => string) => ({ ...s, bundles: s.bundles.map((b) => ({ ...b, path: key(b.path) })) });

  for (const path of ['public/datasets/verified/spec.json', 'replays/vpals-figure6.json', 'replays/ci/vpals-figure6-small.json']) {
    it(`verified: ${path}`, () => {
      const spec = parseVerifiedSpec(json(path));
      const again = parseVerifiedSpec(verified.buildSpec(verified.settingsFromSpec(spec)));
      expect(withBundles(again, verified.bundleKey)).toEqual(withBundles(spec, verified.bundleKey));
    });
  }

  for (const path of ['public/datasets/sched/spec.json', 'replays/kernel-oracle2-table.json', 'replays/ci/kernel-oracle2-table-small.json']) {
    it(`sched: ${path}`, () => {
      const spec = parseSchedSpec(json(path));
      const loaded = sched.settingsFromSpec(spec);
      const bundles = loaded.bundles.map((b) => ({ ...b, title: b.path, source: { kind: 'dataset' as const, url: b.path } }));
      const again = parseSchedSpec(sched.buildSpec(loaded.settings, bundles));
      expect(again).toEqual({ ...spec, bundles: loaded.bundles });
      expect(loaded.bundles.every((b) => !b.path.includes('/'))).toBe(true);
    });
  }

  for (const path of ['public/datasets/forecast/spec.json', 'replays/seed-lstm-figure2.json', 'replays/ci/seed-lstm-figure2-small.json']) {
    it(`forecast: ${path}`, () => {
      const spec = parseForecastSpec(json(path));
      const loaded = forecast.settingsFromSpec(spec);
      const again = parseForecastSpec(forecast.buildSpec(loaded.settings, loaded.bundlePath));
      // Neural settings the spec leaves out are the core's defaults: the form shows (and writes) them.
      const effective = (s: typeof spec) => ({ ...s, neural: { lstm: { ...core(NEURAL_DEFAULTS.lstm), ...s.neural.lstm }, tcn: { ...core(NEURAL_DEFAULTS.tcn), ...s.neural.tcn } } });
      expect(effective(again)).toEqual(effective({ ...spec, bundle: { path: loaded.bundlePath } }));
    });
  }
});

describe('a spec in the link', () => {
  const page = 'http://127.0.0.1:4173/?lab=verified';
  it('reads the JSON the labs write, and drops run=1 when writing', async () => {
    const spec = { lab: 'verified', seed: 2 };
    const url = urlWithSpec(`${page}&run=1`, spec);
    expect(wantsRun(url)).toBe(false);
    expect(await specFromUrl(url)).toEqual({ json: spec, from: 'the link' });
  });
  it('fetches a spec address relative to the page, and says what went wrong in words', async () => {
    const seen: string[] = [];
    const fetchOk = (async (u: string) => {
      seen.push(u);
      return new Response('{"lab":"sched"}', { status: 200 });
    }) as typeof fetch;
    expect(await specFromUrl(`${page}&spec=replays/x.json`, fetchOk)).toEqual({ json: { lab: 'sched' }, from: 'http://127.0.0.1:4173/replays/x.json' });
    expect(seen).toEqual(['http://127.0.0.1:4173/replays/x.json']);
    const missing = (async () => new Response('', { status: 404 })) as unknown as typeof fetch;
    expect(await specFromUrl(`${page}&spec=nope.json`, missing)).toEqual({ error: 'The spec at http://127.0.0.1:4173/nope.json could not be fetched: HTTP 404.' });
    expect(await specFromUrl(`${page}&spec=${encodeURIComponent('{"lab":')}`)).toMatchObject({ error: expect.stringContaining('not valid JSON') });
    expect(await specFromUrl(`${page}&spec=${encodeURIComponent('javascript:alert(1)')}`)).toEqual({ error: 'The link\'s spec address javascript:alert(1) is not http(s).' });
    expect(await specFromUrl(page)).toBeNull();
  });
});
