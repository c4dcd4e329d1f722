import type { Bundle } from '../core/bundle/index.ts';
import { sourceKey, sourceName, type LabSource, type LabWorkerMessage } from './bundle-loader/lab-protocol.ts';
import { BundleStore, STORE_BYTES } from './bundle-loader/bundle-store.ts';
import { LoaderClient } from './lab-bundles/loader-client.ts';
import { openLabBytes, readSource } from './lab-bundles/read-source.ts';

export { openLabBytes, sourceKey, sourceName, type LabSource };

// The loader worker owns the bundles (issue 13): with a port to it, a lab asks it and reads nothing itself.
let loader: LoaderClient | null = null;
let loaderDied: string | null = null;

/** Talks to the loader over `port` (null: read directly, as in Node). Replaces any earlier port. */
export function useLoaderPort(port: MessagePort | null): void {
  loader?.fail('the lab was connected to a new loader');
  loader = port ? new LoaderClient(port) : null;
  loaderDied = null;
}

/**
 * Listens for the page's messages to this worker (beside Comlink's, which ignores them): the port to the
 * loader worker, sent once when the page starts the lab worker, or the news that the loader died.
 */
export function acceptLoaderPort(scope: { addEventListener(type: 'message', f: (ev: MessageEvent) => void): void }): void {
  scope.addEventListener('message', (ev: MessageEvent<LabWorkerMessage | unknown>) => {
    const m = ev.data as Partial<Record<string, unknown>> | null;
    if (!m || typeof m !== 'object') return;
    if (m.tlabLoaderPort instanceof MessagePort) useLoaderPort(m.tlabLoaderPort);
    else if (typeof m.tlabLoaderDied === 'string') {
      loader?.fail(`the bundle loader stopped (${m.tlabLoaderDied}); reload the page to read bundles again`);
      loader = null;
      loaderDied = m.tlabLoaderDied;
    }
  });
}

// Without a loader (Node): the bundles read here, kept as the loader keeps them. Listing what a bundle offers and
// then running on it is the usual order, and reading a few MB of Arrow twice would double the wait.
const store = new BundleStore(STORE_BYTES);

/**
 * The lab's bundle: from the loader worker when the page gave a port (it reads each source once for every lab
 * and the overview), else read here. Throws an Error whose message names the file and says what is wrong.
 */
export async function readLabBundle(s: LabSource, signal?: AbortSignal, name?: string): Promise<Bundle> {
  if (loader) return loader.bundle(s, name, signal);
  if (loaderDied !== null) throw new Error(`${name ?? sourceName(s)}: the bundle loader stopped (${loaderDied}); reload the page to read bundles again`);
  return store.open(`${sourceKey(s)}|${name ?? ''}`, () => readSource(s, name ?? sourceName(s), signal));
}
