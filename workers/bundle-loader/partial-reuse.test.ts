import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readBundle, type Bundle } from '../../core/bundle/index.ts';
import { buildOverview, overviewOf, prepareOverview } from '../../core/overview/index.ts';
import { openSource } from '../../core/importers/open-source.ts';
import { createLoader } from './loader.ts';

const file = new URL('../../public/datasets/messaging.tlab', import.meta.url);

async function fresh(): Promise<Bundle> {
  const r = await readBundle(new Uint8Array(readFileSync(file)));
  if (!r.ok) throw new Error(r.error.kind);
  return r.bundle;
}

describe('the whole overview takes over what the partial one computed', () => {
  it('parts made of the same tables are reused, and the result equals one built from scratch', async () => {
    const full = await fresh();
    // What the page drew while the sched table decoded: the same decoded tables, less sched.
    const { sched: _, ...rest } = full.tables;
    const partial: Bundle = { ...full, tables: rest };
    const early = prepareOverview(partial);
    const earlyUsage = early.usage();
    const earlySyscalls = early.syscalls();
    const p = prepareOverview(full, { bundle: partial, prepared: early });
    expect(p.usage()).toBe(earlyUsage);
    expect(p.syscalls()).toBe(earlySyscalls);
    expect(p.sched()).not.toBeNull();
    const scratch = prepareOverview(full);
    expect(overviewOf(p)).toEqual(overviewOf(scratch));
    const d = overviewOf(p).durationS;
    const w = { from: 0.2 * d, to: 0.3 * d };
    expect(overviewOf(p, w)).toEqual(overviewOf(scratch, w));
    // Another bundle's parts are never taken: a different manifest object (or table) computes afresh.
    const other = await fresh();
    const q = prepareOverview(other, { bundle: partial, prepared: early });
    expect(q.usage()).not.toBe(earlyUsage);
    expect(q.usage()).toEqual(earlyUsage);
  });

  it('the loader, handing out partials, ends with the overview a from-scratch build gives, and zooms answer from the whole bundle', async () => {
    const api = createLoader();
    let partials = 0;
    const opened = await api.open({ kind: 'file', file: new File([readFileSync(file)], 'messaging.tlab') }, () => {}, () => partials++);
    if (!opened.ok) throw new Error(opened.error.kind);
    expect(partials).toBeGreaterThan(0);
    const want = buildOverview(await fresh());
    expect(opened.bundle.overview).toEqual(want);
    const d = want.durationS;
    const zoomed = await api.overview({ from: 0.4 * d, to: 0.45 * d });
    expect(zoomed!.sched).not.toBeNull();
  }, 60_000);

  it('the reader hands the loader the very manifest and tables the whole bundle holds, so the reuse applies there', async () => {
    let manifest: unknown = null;
    const seen = new Map<string, unknown>();
    const r = await openSource('messaging.tlab', new Blob([readFileSync(file)]), {
      onTable: (n, t, m) => {
        manifest = m;
        seen.set(n, t);
      },
    });
    if (!r.ok) throw new Error('messaging.tlab did not open');
    expect(r.bundle.manifest).toBe(manifest);
    expect(seen.size).toBeGreaterThan(3);
    for (const [n, t] of seen) expect(r.bundle.tables[n as keyof Bundle['tables']]).toBe(t);
  });
});
