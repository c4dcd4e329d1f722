import type { StoreStats } from '../../workers/bundle-loader/bundle-store.ts';
import type { LabWorkerMessage } from '../../workers/bundle-loader/lab-protocol.ts';

/**
 * The page's switchboard between the loader worker (which owns the open bundles) and the lab workers: each lab
 * worker gets a MessagePort to the loader when it starts, and hears if the loader dies, so its requests fail in
 * words instead of waiting forever.
 */
let connect: (() => MessagePort) | null = null;
let stats: (() => Promise<StoreStats>) | null = null;
const labs = new Set<Worker>();

/** Set by the loader's owner (useBundleLoader): makes a channel and hands one end to the loader worker. */
export function setLoaderConnector(c: { connect: () => MessagePort; stats: () => Promise<StoreStats> } | null): void {
  connect = c?.connect ?? null;
  stats = c?.stats ?? null;
}

/** Gives a just-started lab worker its port to the loader (none: the worker reads its bundles itself). */
export function connectLabWorker(worker: Worker): void {
  if (!connect) return;
  const port = connect();
  worker.postMessage({ tlabLoaderPort: port } satisfies LabWorkerMessage, [port]);
  labs.add(worker);
}

export function forgetLabWorker(worker: Worker): void {
  labs.delete(worker);
}

/** The loader died: every lab worker's waiting requests fail with this, and new lab workers read for themselves. */
export function loaderDied(message: string): void {
  connect = null;
  stats = null;
  for (const w of labs) w.postMessage({ tlabLoaderDied: message } satisfies LabWorkerMessage);
}

/** The loader's read and reuse counts (the e2e tests' proof that a bundle was read once); null without a loader. */
export function loaderStats(): Promise<StoreStats> | null {
  return stats?.() ?? null;
}
