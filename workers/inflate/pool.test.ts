import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { tableToIPC } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { completeBundle } from '../../core/bundle/complete.ts';
import { readBundle, type Bundle, type ReadOptions } from '../../core/bundle/reader.ts';
import { buildZip, deflatedEntry, piecesEntry } from '../../core/bundle/testing/bombs.ts';
import { useInflatePool } from '../../core/bundle/unzip-stream.ts';
import { MANIFEST_PATH } from '../../core/bundle/version.ts';
import { createInflatePool } from './pool.ts';
import type { InflateEndpoint, InflateRequest } from './protocol.ts';
import { serveInflateTasks } from './serve.ts';

// messaging.tlab: a real recording whose sched and syscalls tables are stored a column per entry (format 2).
const bytes = new Uint8Array(readFileSync(new URL('../../public/datasets/messaging.tlab', import.meta.url)));
const SCHED = ['ts_ns', 'cpu', 'event', 'next_pid'];

// Inflate workers over real MessageChannels (structured clone and transfer as between a worker and its loader),
// each served by the worker's own loop. `seen` lists the entries the far side was asked for.
const open: MessagePort[] = [];
function channelWorker(seen: string[]): InflateEndpoint {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  const far = {
    postMessage: (m: never, t: Transferable[]) => port2.postMessage(m, t),
    set onmessage(f: ((e: MessageEvent<InflateRequest>) => void) | null) {
      port2.onmessage = f && ((e: MessageEvent<InflateRequest>) => (seen.push(e.data.task.name), f(e)));
    },
    get onmessage() {
      return null;
    },
  };
  serveInflateTasks(far);
  return {
    postMessage: (m, t) => port1.postMessage(m, t),
    set onmessage(f) {
      port1.onmessage = f as never;
    },
    get onmessage() {
      return port1.onmessage as never;
    },
    onerror: null,
  };
}
afterEach(() => {
  useInflatePool(null);
  for (const p of open.splice(0)) p.close();
});

async function mustRead(b: Uint8Array, options: ReadOptions = {}): Promise<Bundle> {
  const r = await readBundle(b, options);
  if (!r.ok) throw new Error(`read failed: ${JSON.stringify(r.error)}`);
  return r.bundle;
}
const ipc = (b: Bundle) => Object.fromEntries(Object.entries(b.tables).map(([n, t]) => [n, Buffer.from(tableToIPC(t!, 'stream')).toString('base64')]));

describe('large entries are inflated by inflate workers beside the reader', () => {
  const direct = mustRead(bytes);

  it('gives the tables a read on one thread gives, the large entries inflated by the workers', async () => {
    const seen: string[] = [];
    useInflatePool(createInflatePool(2, () => channelWorker(seen)));
    const pooled = await mustRead(bytes);
    expect(ipc(pooled)).toEqual(ipc(await direct));
    // Entries of 64 KiB compressed or more go (sched's columns among them); the small tables' never do.
    expect(seen).toContain('tables/sched/ts_ns.arrow');
    expect(seen).not.toContain('tables/psi.arrow');
    expect(seen).not.toContain(MANIFEST_PATH);
  });

  it('a projected read and its completion: the held columns go to the workers too, and equal a whole read', async () => {
    const seen: string[] = [];
    useInflatePool(createInflatePool(1, () => channelWorker(seen)));
    const part = await mustRead(bytes, { columns: { sched: SCHED } });
    // Only the columns read: those left for later stay compressed until completed.
    expect(seen).toContain('tables/sched/ts_ns.arrow');
    expect(seen.filter((n) => n.startsWith('tables/sched/') && !SCHED.some((c) => n === `tables/sched/${c}.arrow`))).toEqual([]);
    seen.length = 0;
    const whole = await completeBundle(part);
    // The reader takes back what no worker has started, so which ones go varies; the first is started at once.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => !SCHED.some((c) => n === `tables/sched/${c}.arrow`))).toBe(true);
    expect(ipc(whole)).toEqual(ipc(await direct));
  });

  it('an entry that inflates to 3 GiB is refused by the worker at its limit, with the error a read here gives', async () => {
    const files = unzipSync(bytes);
    // The zip's first large entry: an idle worker starts it as soon as it is complete, before the reader asks.
    const bomb = 'tables/syscalls/ts_ns.arrow';
    const zip = buildZip(
      [MANIFEST_PATH, ...Object.keys(files).filter((n) => n !== MANIFEST_PATH)].map((name) =>
        name === bomb ? piecesEntry(name, [{ byte: 0, count: 3 * 2 ** 30 }]) : deflatedEntry(name, files[name]!),
      ),
    );
    const here = await readBundle(zip);
    const seen: string[] = [];
    useInflatePool(createInflatePool(1, () => channelWorker(seen)));
    const started = performance.now();
    const there = await readBundle(zip);
    expect(seen[0]).toBe(bomb);
    expect(there.ok).toBe(false);
    if (!there.ok) expect(there.error).toMatchObject({ kind: 'entry-too-large', entry: bomb });
    expect(there).toEqual(here);
    expect(performance.now() - started).toBeLessThan(8000);
    expect(JSON.parse(strFromU8(files[MANIFEST_PATH]!)).tables.syscalls.columns.ts_ns).toBe(bomb);
  });

  it("a worker's answer is taken as the entry's: what it reports is what the read reports", async () => {
    // A worker that answers its first entry with an error of its own making, and inflates the rest as usual.
    let first = true;
    const real = channelWorker([]);
    useInflatePool(
      createInflatePool(1, () => ({
        ...real,
        set onmessage(f: InflateEndpoint['onmessage']) {
          real.onmessage = f;
        },
        get onmessage() {
          return real.onmessage;
        },
        postMessage: (m: InflateRequest, t: Transferable[]) => {
          if (!first) return real.postMessage(m, t);
          first = false;
          queueMicrotask(() => real.onmessage?.({ data: { id: m.id, answer: { ok: false, error: { kind: 'zip-corrupt', entry: m.task.name, detail: 'said by the worker' } } } } as MessageEvent));
        },
      })),
    );
    const r = await readBundle(bytes);
    expect(r).toMatchObject({ ok: false, error: { kind: 'zip-corrupt', entry: 'tables/syscalls/ts_ns.arrow', detail: 'said by the worker' } });
  });

  it('workers that fail to start, die mid-entry or never answer lose nothing: the reader inflates those entries itself', async () => {
    useInflatePool(
      createInflatePool(2, () => {
        throw new Error('worker scripts are blocked');
      }),
    );
    expect(ipc(await mustRead(bytes))).toEqual(ipc(await direct));

    let dying: InflateEndpoint | null = null;
    const pool = createInflatePool(1, () => {
      dying = {
        postMessage: () => queueMicrotask(() => dying!.onerror?.(new Event('error') as ErrorEvent)),
        onmessage: null,
        onerror: null,
      };
      return dying;
    });
    useInflatePool(pool);
    expect(ipc(await mustRead(bytes))).toEqual(ipc(await direct));
    expect(pool.started()).toBe(0);

    // One that never answers (killed without an error event) is given up at its deadline.
    let posted = 0;
    const silent = createInflatePool(1, () => ({ postMessage: () => void posted++, onmessage: null, onerror: null }), 300);
    useInflatePool(silent);
    const started = performance.now();
    expect(ipc(await mustRead(bytes))).toEqual(ipc(await direct));
    expect(posted).toBe(1);
    expect(performance.now() - started).toBeGreaterThan(300);
    expect(silent.started()).toBe(0);
  });

  it('a cancelled read drops its entries still waiting for a worker', async () => {
    const seen: string[] = [];
    useInflatePool(createInflatePool(1, () => channelWorker(seen)));
    const controller = new AbortController();
    const reading = readBundle(bytes, { signal: controller.signal, onProgress: (p) => p.phase === 'decoding' && controller.abort() });
    const r = await reading;
    expect(r).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    // Give the one worker time to finish what it had started: nothing queued after the cancel reaches it.
    await new Promise((res) => setTimeout(res, 500));
    const queuedEntries = Object.keys(unzipSync(bytes, { filter: (f) => f.originalSize > 0 && f.size >= 64 << 10 })).length;
    expect(seen.length).toBeLessThan(queuedEntries);
  });
});
