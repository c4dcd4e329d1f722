import { tableToIPC } from 'apache-arrow';
import { completeBundle, type Bundle, type TableName } from '../../core/bundle/index.ts';
import { readSource } from '../lab-bundles/read-source.ts';
import type { BundleStore } from './bundle-store.ts';
import { sourceName, type LabBundleReply, type LabBundleRequest } from './lab-protocol.ts';

/** The bytes of a table for the port: a whole buffer, so it can be transferred rather than copied again. */
function ipcOf(t: Parameters<typeof tableToIPC>[0]): Uint8Array {
  const u = tableToIPC(t, 'stream');
  return u.byteOffset === 0 && u.byteLength === u.buffer.byteLength ? u : u.slice();
}

export function replyFor(id: number, bundle: Bundle, wanted?: readonly string[]): { reply: LabBundleReply; transfer: ArrayBuffer[] } {
  const tables: [TableName, Uint8Array][] = [];
  for (const [name, t] of Object.entries(bundle.tables) as [TableName, NonNullable<Bundle['tables'][TableName]>][]) {
    if (wanted && !wanted.includes(name)) continue;
    tables.push([name, ipcOf(t)]);
  }
  return { reply: { id, ok: true, manifest: bundle.manifest, tables, warnings: bundle.warnings }, transfer: tables.map(([, u]) => u.buffer as ArrayBuffer) };
}

/**
 * Answers one lab worker's bundle requests from the loader's store: a source already open (in the overview or
 * for another lab) is not read again; one not open is read once and kept.
 */
export function serveLabPort(port: MessagePort, store: BundleStore): void {
  // A lab left (its worker terminated) closes its end; where the platform says so, stop listening on this one.
  port.addEventListener('close', () => port.close());
  port.onmessage = async (ev: MessageEvent<LabBundleRequest>) => {
    const { id, key, source, name, tables } = ev.data;
    try {
      const opened = await store.open(key, () => readSource(source, name ?? sourceName(source)));
      // The overview's bundle may hold only the columns the overview reads: a lab gets every column.
      const bundle = await completeBundle(opened);
      if (bundle !== opened) store.replace(opened, bundle);
      const { reply, transfer } = replyFor(id, bundle, tables);
      port.postMessage(reply, transfer);
    } catch (e) {
      port.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) } satisfies LabBundleReply);
    }
  };
}
