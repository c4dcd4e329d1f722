import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { BundleErrorException } from './errors.ts';

const EOCD_SIGNATURE = [0x50, 0x4b, 0x05, 0x06];
// End-of-central-directory record (22 bytes) plus the longest comment a zip may carry.
const EOCD_WINDOW = 22 + 0xffff;

/**
 * Feeds chunks to fflate's streaming unzip and keeps the entries `want` selects. It also keeps the tail of
 * the stream, because only the end-of-central-directory record proves a zip was not cut short.
 */
export class UnzipCollector {
  private readonly unzip = new Unzip();
  private readonly parts = new Map<string, Uint8Array[]>();
  private readonly done = new Set<string>();
  readonly names: string[] = [];
  private tail: Uint8Array = new Uint8Array(0);
  private failure: BundleErrorException | null = null;
  bytesRead = 0;

  constructor(want: (name: string) => boolean) {
    this.unzip.register(UnzipInflate);
    this.unzip.onfile = (file: UnzipFile) => {
      this.names.push(file.name);
      if (!want(file.name)) return;
      const parts: Uint8Array[] = [];
      this.parts.set(file.name, parts);
      file.ondata = (err, chunk, final) => {
        if (err) {
          this.failure ??= new BundleErrorException({ kind: 'zip-corrupt', entry: file.name, detail: err.message });
          return;
        }
        parts.push(chunk);
        if (final) this.done.add(file.name);
      };
      try {
        file.start();
      } catch (e) {
        this.failure ??= new BundleErrorException({ kind: 'zip-corrupt', entry: file.name, detail: (e as Error).message });
      }
    };
  }

  push(chunk: Uint8Array, final: boolean): void {
    this.bytesRead += chunk.byteLength;
    this.keepTail(chunk);
    try {
      this.unzip.push(chunk, final);
    } catch (e) {
      const entry = this.names.at(-1) ?? '(zip structure)';
      // fflate fails on a final push that ends mid-entry; without an end record that is a cut-short file.
      this.failure ??= final && !this.hasEndRecord()
        ? new BundleErrorException({ kind: 'zip-truncated', bytesRead: this.bytesRead, lostEntries: this.unfinished(entry) })
        : new BundleErrorException({ kind: 'zip-corrupt', entry, detail: (e as Error).message });
    }
    if (this.failure) throw this.failure;
  }

  /** After the final push: the complete entries, or an error saying what was lost. */
  finish(): Map<string, Uint8Array> {
    const lost = this.unfinished();
    if (!this.hasEndRecord() || lost.length > 0) {
      throw new BundleErrorException({ kind: 'zip-truncated', bytesRead: this.bytesRead, lostEntries: lost });
    }
    const out = new Map<string, Uint8Array>();
    for (const [name, parts] of this.parts) out.set(name, concat(parts));
    return out;
  }

  private unfinished(current?: string): string[] {
    const lost = [...this.parts.keys()].filter((n) => !this.done.has(n));
    if (current && !lost.includes(current) && !this.done.has(current)) lost.push(current);
    return lost;
  }

  private keepTail(chunk: Uint8Array): void {
    if (chunk.byteLength >= EOCD_WINDOW) {
      this.tail = chunk.slice(chunk.byteLength - EOCD_WINDOW);
      return;
    }
    const merged = concat([this.tail, chunk]);
    this.tail = merged.subarray(Math.max(0, merged.byteLength - EOCD_WINDOW));
  }

  private hasEndRecord(): boolean {
    const t = this.tail;
    for (let i = t.byteLength - 22; i >= 0; i--) {
      if (t[i] === EOCD_SIGNATURE[0] && t[i + 1] === EOCD_SIGNATURE[1] && t[i + 2] === EOCD_SIGNATURE[2] && t[i + 3] === EOCD_SIGNATURE[3]) {
        const commentLength = t[i + 20]! | (t[i + 21]! << 8);
        if (i + 22 + commentLength === t.byteLength) return true;
      }
    }
    return false;
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.byteLength;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return out;
}
