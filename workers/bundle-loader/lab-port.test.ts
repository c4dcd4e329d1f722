import { readFileSync } from 'node:fs';
import { tableToIPC } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { readBundle as readResult, type ByteSource } from '../../core/bundle/index.ts';
import { LoaderClient } from '../lab-bundles/loader-client.ts';
import { readLabBundle, useLoaderPort } from '../lab-bundles.ts';
import { BundleStore, bundleBytes } from './bundle-store.ts';
import { serveLabPort } from './lab-port.ts';
import { createLoader } from './loader.ts';

async function readBundle(b: ByteSource) {
  const r = await readResult(b);
  if (!r.ok) throw new Error(r.error.kind);
  return r.bundle;
}
const bytesOf = (p: string) => new Uint8Array(readFileSync(new URL(`../../${p}`, import.meta.url)));
const file = (p: string, name = p.split('/').pop()!) => new File([bytesOf(p)], name, { lastModified: 1 });

// Real MessageChannels (Node's global one, as in a browser): the loader's side and a lab's side.
const open: MessagePort[] = [];
function connect(store = new BundleStore(2 ** 30)) {
  const { port1, port2 } = new MessageChannel();
  open.push(port1, port2);
  serveLabPort(port1, store);
  return { store, port: port2 };
}
afterEach(() => {
  useLoaderPort(null);
  for (const p of open.splice(0)) p.close();
});

describe('a lab asks the loader worker for bundles over a MessagePort', () => {
  it('gets the tables a direct read gives, and a second ask is answered from the open bundle', async () => {
    const { store, port } = connect();
    const client = new LoaderClient(port);
    const src = { file: file('public/datasets/sysbench-cpu.tlab') };
    const viaPort = await client.bundle(src);
    const direct = await readBundle(bytesOf('public/datasets/sysbench-cpu.tlab'));
    expect(Object.keys(viaPort.tables).sort()).toEqual(Object.keys(direct.tables).sort());
    for (const [name, t] of Object.entries(direct.tables)) {
      const p = viaPort.tables[name as keyof typeof viaPort.tables]!;
      expect(p.numRows, name).toBe(t!.numRows);
      expect(p.schema.fields.map((f) => f.name)).toEqual(t!.schema.fields.map((f) => f.name));
      // Whole rows as plain values: every column, nulls included.
      expect(p.toArray().map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? `${v}n` : v)))).toEqual(
        t!.toArray().map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? `${v}n` : v))),
      );
    }
    expect(viaPort.manifest).toEqual(direct.manifest);
    await client.bundle(src);
    expect(store.stats()).toMatchObject({ reads: 1, hits: 1, bundles: 1 });
  });

  it('two labs asking at once share one read; a bundle the overview put there is not read at all', async () => {
    const a = connect();
    const b = connect(a.store);
    const src = { file: file('public/datasets/sysbench-cpu.tlab') };
    const [x, y] = await Promise.all([new LoaderClient(a.port).bundle(src), new LoaderClient(b.port).bundle(src)]);
    expect(x.tables.samples!.numRows).toBe(y.tables.samples!.numRows);
    expect(a.store.stats()).toMatchObject({ reads: 1, hits: 1 });
  });

  it('a refusal keeps its words: the file name and what is wrong', async () => {
    const { port } = connect();
    useLoaderPort(port);
    await expect(readLabBundle({ file: file('README.md') })).rejects.toThrow(/^README\.md: not a format Telemetry Lab can import/);
    await expect(readLabBundle({ file: file('fixtures/refusals/strace-t-ls.zip', 'notes.zip') }, undefined, 'runs/notes.zip')).rejects.toThrow(/^runs\/notes\.zip is a zip archive but not a Telemetry Lab bundle/);
  });

  it('a dead loader fails the waiting requests in words instead of leaving them pending', async () => {
    // Nobody serves this port: the loader worker died before answering.
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    const client = new LoaderClient(port2);
    const asked = client.bundle({ url: 'https://example.invalid/datasets/messaging.tlab' });
    client.fail('the bundle loader stopped (out of memory)');
    await expect(asked).rejects.toThrow('the bundle loader stopped (out of memory)');
  });

  it('a cancelled ask stops waiting', async () => {
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    const c = new AbortController();
    const asked = new LoaderClient(port2).bundle({ url: 'https://example.invalid/x.tlab' }, undefined, c.signal);
    c.abort();
    await expect(asked).rejects.toThrow();
  });
});

describe('a bundle open in the overview serves the labs without a second read', () => {
  it('by its open id, and by its source; an id no longer held is refused in words', async () => {
    const loader = createLoader();
    const dropped = file('public/datasets/sysbench-cpu.tlab');
    const opened = await loader.open({ kind: 'file', file: dropped }, () => {});
    if (!opened.ok) throw new Error(opened.error.kind);
    expect(opened.bundle.bundleId).toMatch(/^open:\d+$/);
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    loader.connectLab(1, port1);
    const client = new LoaderClient(port2);
    const byId = await client.bundle({ bundleId: opened.bundle.bundleId!, name: 'sysbench-cpu.tlab' });
    expect(byId.tables.samples!.numRows).toBe(opened.bundle.tables.find((t) => t.name === 'samples')!.rows);
    // The same file dropped again on a lab (same name, size and time) is the same open bundle.
    await client.bundle({ file: new File([dropped], dropped.name, { lastModified: dropped.lastModified }) });
    expect(loader.labStats()).toMatchObject({ reads: 1, hits: 2, bundles: 1 });
    await expect(client.bundle({ bundleId: 'open:99', name: 'gone.log' })).rejects.toThrow(/^gone\.log: the bundle is no longer open/);
    // The lab left: the page says so and the loader closes its end, which the lab's end hears (no port kept per visit).
    const closed = new Promise<void>((resolve) => port2.addEventListener('close', () => resolve()));
    loader.disconnectLab(1);
    await closed;
  });

  it("a bundle the overview read in part (its own columns) reaches a lab whole, and the store counts the whole", async () => {
    const loader = createLoader();
    const opened = await loader.open({ kind: 'file', file: file('public/datasets/messaging.tlab') }, () => {});
    if (!opened.ok) throw new Error(opened.error.kind);
    const before = loader.labStats().heldBytes;
    const { port1, port2 } = new MessageChannel();
    open.push(port1, port2);
    loader.connectLab(1, port1);
    const viaPort = await new LoaderClient(port2).bundle({ bundleId: opened.bundle.bundleId!, name: 'messaging.tlab' });
    const direct = await readBundle(bytesOf('public/datasets/messaging.tlab'));
    for (const name of ['sched', 'syscalls'] as const) {
      expect(viaPort.tables[name]!.schema.fields.map((f) => f.name), name).toEqual(direct.tables[name]!.schema.fields.map((f) => f.name));
      expect(Buffer.from(tableToIPC(viaPort.tables[name]!)).equals(Buffer.from(tableToIPC(direct.tables[name]!))), name).toBe(true);
    }
    // The overview held 4 of sched's 17 columns; the store now holds them all (36 MB decoded).
    expect(loader.labStats().heldBytes).toBeGreaterThan(before * 2);
    expect(loader.labStats()).toMatchObject({ reads: 1, bundles: 1 });
    // The overview's own table pages read the columns it never decoded.
    const page = await loader.tablePage('sched', 0, 3);
    expect(page.columns).toContain('prev_comm');
  });
});

describe('the loader keeps open bundles up to a byte budget', () => {
  it('a bundle under two keys is held once, and goes with both', async () => {
    const small = await readBundle(bytesOf('public/datasets/sysbench-cpu.tlab'));
    const size = bundleBytes(small);
    const store = new BundleStore(size * 1.5);
    store.put(['url:x', 'open:1'], small);
    expect(store.stats()).toMatchObject({ heldBytes: size, bundles: 1 });
    expect(store.get('open:1')).toBe(small);
    store.put('url:y', small);
    expect([store.has('url:x'), store.has('open:1'), store.has('url:y')]).toEqual([false, false, true]);
    expect(store.stats().heldBytes).toBe(size);
  });

  it('drops the least recently used once the decoded tables pass the budget, keeping the newest', async () => {
    const small = await readBundle(bytesOf('public/datasets/sysbench-cpu.tlab'));
    const size = bundleBytes(small);
    expect(size).toBeGreaterThan(10_000);
    const store = new BundleStore(size * 2.5);
    store.put('a', small);
    store.put('b', small);
    await store.open('a', async () => small); // a is now the most recent
    store.put('c', small);
    expect(store.has('a')).toBe(true);
    expect(store.has('b')).toBe(false);
    expect(store.has('c')).toBe(true);
    expect(store.stats().heldBytes).toBe(2 * size);
    // One bundle over the budget is still kept: it is the one being asked for.
    const tiny = new BundleStore(1);
    tiny.put('x', small);
    tiny.put('y', small);
    expect([tiny.has('x'), tiny.has('y')]).toEqual([false, true]);
  });

  it('a failed read is not kept, and the next ask reads again', async () => {
    const store = new BundleStore(2 ** 30);
    await expect(store.open('k', async () => Promise.reject(new Error('x.tlab: truncated')))).rejects.toThrow('x.tlab: truncated');
    expect(store.has('k')).toBe(false);
    expect(store.stats().reads).toBe(1);
  });
});
