import { tableFromIPC, type Table } from 'apache-arrow';
import type { Bundle, TableName } from '../../core/bundle/index.ts';
import { sourceKey, sourceName, type LabBundleReply, type LabBundleRequest, type LabSource } from '../bundle-loader/lab-protocol.ts';

/**
 * A lab worker's side of its port to the loader worker: asks for a bundle, gets its tables as inflated Arrow IPC
 * bytes. `fail` rejects every request waiting (the page says the loader died): none is left hanging.
 */
export class LoaderClient {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (b: Bundle) => void; reject: (e: Error) => void }>();

  constructor(private readonly port: MessagePort) {
    port.onmessage = (ev: MessageEvent<LabBundleReply>) => {
      const r = ev.data;
      const w = this.waiting.get(r.id);
      if (!w) return;
      this.waiting.delete(r.id);
      if (!r.ok) return w.reject(new Error(r.message));
      const tables: Partial<Record<TableName, Table>> = {};
      for (const [name, bytes] of r.tables) tables[name] = tableFromIPC(bytes);
      w.resolve({ manifest: r.manifest, tables, raw: new Map(), entries: [], warnings: r.warnings });
    };
  }

  bundle(source: LabSource, name?: string, signal?: AbortSignal): Promise<Bundle> {
    const id = this.next++;
    return new Promise<Bundle>((resolve, reject) => {
      // A cancelled run stops waiting; the loader still finishes the read and keeps it for the next ask.
      const onAbort = () => {
        this.waiting.delete(id);
        reject(signal!.reason instanceof Error ? signal!.reason : new DOMException('aborted', 'AbortError'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = <T>(f: (v: T) => void) => (v: T) => {
        signal?.removeEventListener('abort', onAbort);
        f(v);
      };
      this.waiting.set(id, { resolve: done(resolve), reject: done(reject) });
      // The name goes along: a File's own name does not survive Node's structured clone.
      this.port.postMessage({ id, key: sourceKey(source), source, name: name ?? sourceName(source) } satisfies LabBundleRequest);
    });
  }

  fail(message: string): void {
    const w = [...this.waiting.values()];
    this.waiting.clear();
    for (const x of w) x.reject(new Error(message));
    this.port.close();
  }
}
