import type { StoreStats } from '../../workers/bundle-loader/bundle-store.ts';
import type { LabWorkerMessage } from '../../workers/bundle-loader/lab-protocol.ts';

/**
 * The page's switchboard between the loader worker (which owns the open bundles) and the lab workers: each lab
 * worker gets a MessagePort to the loader when it starts, and hears if the loader dies, so its requests fail in
 * words instead of waiting forever.
 */
interface Connector {
  /** A channel to the loader for lab `id`; the loader keeps its end until `disconnect(id)`. */
  connect: (id: number) => MessagePort;
  disconnect: (id: number) => void;
  stats: () => Promise<StoreStats>;
}
let connector: Connector | null = null;
let nextId = 1;
/** Each lab worker and the number of its connection to the loader. */
const labs = new Map<Worker, number>();

/** Set by the loader's owner (useBundleLoader): makes a channel and hands one end to the loader worker. */
export function setLoaderConnector(c: Connector | null): void {
  connector = c;
}

/** Gives a just-started lab worker its port to the loader (none: the worker reads its bundles itself). */
export function connectLabWorker(worker: Worker): void {
  if (!connector) return;
  const id = nextId++;
  const port = connector.connect(id);
  worker.postMessage({ tlabLoaderPort: port } satisfies LabWorkerMessage, [port]);
  labs.set(worker, id);
}

/** The lab worker is going: the loader closes its end (a terminated worker's port says nothing by itself). */
export function forgetLabWorker(worker: Worker): void {
  const id = labs.get(worker);
  labs.delete(worker);
  if (id !== undefined) connector?.disconnect(id);
}

/** The loader died: every lab worker's waiting requests fail with this, and new lab workers read for themselves. */
export function loaderDied(message: string): void {
  connector = null;
  for (const w of labs.keys()) w.postMessage({ tlabLoaderDied: message } satisfies LabWorkerMessage);
}

/** The loader's read and reuse counts (the e2e tests' proof that a bundle was read once); null without a loader. */
export function loaderStats(): Promise<StoreStats> | null {
  return connector?.stats() ?? null;
}
