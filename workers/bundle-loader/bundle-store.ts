import type { Data, Table } from 'apache-arrow';
import type { Bundle } from '../../core/bundle/index.ts';

/** Bytes an Arrow table holds in memory: its buffers, dictionaries counted once (batches share them). */
export function tableBytes(t: Table): number {
  const seen = new Set<Data>();
  const walk = (d: Data | undefined): number => {
    if (!d || seen.has(d)) return 0;
    seen.add(d);
    let n = (d.values?.byteLength ?? 0) + (d.valueOffsets?.byteLength ?? 0) + (d.nullBitmap?.byteLength ?? 0) + (d.typeIds?.byteLength ?? 0);
    for (const c of d.children) n += walk(c);
    for (const dd of d.dictionary?.data ?? []) n += walk(dd);
    return n;
  };
  let total = 0;
  for (const d of t.data) total += walk(d);
  return total;
}

export function bundleBytes(b: Bundle): number {
  let n = 0;
  for (const t of Object.values(b.tables)) if (t) n += tableBytes(t);
  return n;
}

/**
 * Decoded bytes of the bundles a worker keeps: messaging.tlab (664k sched rows) decodes to about 36 MB, a lab's
 * runs to well under 1 MiB each, so this keeps several large ones while bounding a session that opens many.
 */
export const STORE_BYTES = 256 * 2 ** 20;

export interface StoreStats {
  /** Sources read from their bytes (a fetch or a File, then inflate and decode). */
  readonly reads: number;
  /** Requests answered from a bundle already open. */
  readonly hits: number;
  readonly heldBytes: number;
  readonly bundles: number;
}

/**
 * The loader worker's open bundles, by source key, least recently used out first once the decoded tables pass
 * `budgetBytes` (a count bound would keep eight 600k-row bundles as readily as eight tiny ones). The most recent
 * bundle is kept even when it alone is over the budget: it is the one being asked for. Reads of the same key
 * in flight are shared, so two labs asking at once read once.
 */
export class BundleStore {
  // Entries in least-recently-used order; one bundle may answer to several keys (its source, and its open id).
  private readonly entries = new Set<Entry>();
  private readonly byKey = new Map<string, Entry>();
  private readonly reading = new Map<string, Promise<Bundle>>();
  private total = 0;
  private readCount = 0;
  private hitCount = 0;

  constructor(private readonly budgetBytes: number) {}

  /** Keeps a bundle read elsewhere (the overview's open) under each of `keys`. */
  put(keys: string | readonly string[], bundle: Bundle): void {
    const ks = typeof keys === 'string' ? [keys] : keys;
    for (const k of ks) this.forget(k);
    const e: Entry = { bundle, bytes: bundleBytes(bundle), keys: [...ks] };
    this.entries.add(e);
    for (const k of ks) this.byKey.set(k, e);
    this.total += e.bytes;
    this.evict();
  }

  /** Holds `next` in place of `held` (the same bundle with more of it decoded) under the same keys, if still held. */
  replace(held: Bundle, next: Bundle): void {
    for (const e of this.entries) {
      if (e.bundle !== held) continue;
      const bytes = bundleBytes(next);
      this.total += bytes - e.bytes;
      e.bundle = next;
      e.bytes = bytes;
      this.evict();
      return;
    }
  }

  /** The bundle under `key`, or undefined; a hit makes it the most recently used. */
  get(key: string): Bundle | undefined {
    const e = this.byKey.get(key);
    if (!e) return undefined;
    this.hitCount++;
    this.entries.delete(e);
    this.entries.add(e);
    return e.bundle;
  }

  /** The bundle under `key`, reading it with `read` when not held (a failed read is not kept). */
  async open(key: string, read: () => Promise<Bundle>): Promise<Bundle> {
    const hit = this.get(key);
    if (hit) return hit;
    const inFlight = this.reading.get(key);
    if (inFlight) {
      this.hitCount++;
      return inFlight;
    }
    this.readCount++;
    const p = read().then(
      (bundle) => {
        this.reading.delete(key);
        this.put(key, bundle);
        return bundle;
      },
      (e: unknown) => {
        this.reading.delete(key);
        throw e;
      },
    );
    this.reading.set(key, p);
    return p;
  }

  /** Counts a read done outside `open` (the overview's own load). */
  countRead(): void {
    this.readCount++;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  stats(): StoreStats {
    return { reads: this.readCount, hits: this.hitCount, heldBytes: this.total, bundles: this.entries.size };
  }

  /** Takes `key` off its bundle; the bundle goes when no key is left on it. */
  private forget(key: string): void {
    const e = this.byKey.get(key);
    if (!e) return;
    this.byKey.delete(key);
    e.keys = e.keys.filter((k) => k !== key);
    if (e.keys.length === 0) this.drop(e);
  }

  private drop(e: Entry): void {
    this.entries.delete(e);
    for (const k of e.keys) this.byKey.delete(k);
    this.total -= e.bytes;
  }

  private evict(): void {
    while (this.total > this.budgetBytes && this.entries.size > 1) this.drop(this.entries.values().next().value!);
  }
}

interface Entry {
  bundle: Bundle;
  bytes: number;
  keys: string[];
}
