import type { Manifest, TableName } from '../../core/bundle/index.ts';

/**
 * A lab's bundle: a URL (the shipped datasets), a file the user dropped or picked, or a bundle the loader worker
 * has open already, by the id the overview's load gave it (`LoadedBundle.bundleId`; `name` for messages).
 */
export type LabSource = { readonly url: string } | { readonly file: File } | { readonly bundleId: string; readonly name: string };

/**
 * What a lab worker asks the loader worker over its MessagePort. `name`: the name errors give the file (the
 * sched lab's bundle path); `tables`: only these (all when absent).
 */
export interface LabBundleRequest {
  readonly id: number;
  /** sourceKey(source), made by the asker: a File's name does not survive every structured clone (Node's). */
  readonly key: string;
  readonly source: LabSource;
  readonly name?: string;
  readonly tables?: readonly string[];
}

/**
 * The answer: each table as Arrow IPC stream bytes, already inflated (the lab's tableFromIPC is zero-copy and
 * inflates nothing), their buffers transferred; or the reader's message, which names the file.
 */
export type LabBundleReply =
  | { readonly id: number; readonly ok: true; readonly manifest: Manifest; readonly tables: readonly (readonly [TableName, Uint8Array])[]; readonly warnings: readonly string[] }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** The page's messages to a lab worker itself (not its Comlink API): the loader's port, or the loader's death. */
export type LabWorkerMessage = { readonly tlabLoaderPort: MessagePort } | { readonly tlabLoaderDied: string };

const base = () => (typeof location !== 'undefined' ? location.href : undefined);

/** One key per source wherever it is asked from: the overview's demo URL and a lab's dataset URL are one bundle. */
export function sourceKey(s: LabSource): string {
  if ('file' in s) return `file:${s.file.name}:${s.file.size}:${s.file.lastModified}`;
  if ('bundleId' in s) return s.bundleId;
  try {
    return `url:${new URL(s.url, base()).href}`;
  } catch {
    return `url:${s.url}`;
  }
}

export function sourceName(s: LabSource): string {
  if ('file' in s) return s.file.name;
  if ('bundleId' in s) return s.name;
  try {
    return decodeURIComponent(new URL(s.url, base()).pathname.split('/').pop() || s.url);
  } catch {
    return s.url;
  }
}
