import { decodeLine } from './byte-lines.ts';

/**
 * Interns short ASCII names (syscall names, errno names) read from bytes: the same bytes give the same string
 * object without decoding, through an open-addressing table keyed by a hash of the bytes. A capture has a few
 * hundred distinct names; damaged files can have any number, so past MAX_NAMES (or for long names) a name is
 * simply decoded.
 */
const SIZE = 1024;
const MAX_NAMES = SIZE / 2;
const MAX_NAME_BYTES = 64;

export class NameInterner {
  private readonly hashes = new Int32Array(SIZE);
  private readonly bytes: (Uint8Array | undefined)[] = new Array(SIZE);
  private readonly names: string[] = new Array(SIZE);
  private count = 0;

  intern(buf: Uint8Array, start: number, end: number): string {
    const n = end - start;
    if (n > MAX_NAME_BYTES) return decodeLine(buf, start, end);
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    for (let slot = h & (SIZE - 1); ; slot = (slot + 1) & (SIZE - 1)) {
      const b = this.bytes[slot];
      if (b === undefined) {
        if (this.count >= MAX_NAMES) return decodeLine(buf, start, end);
        const name = decodeLine(buf, start, end);
        this.bytes[slot] = buf.slice(start, end);
        this.hashes[slot] = h;
        this.names[slot] = name;
        this.count++;
        return name;
      }
      if (this.hashes[slot] === h && b.length === n && same(b, buf, start)) return this.names[slot]!;
    }
  }
}

function same(b: Uint8Array, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== buf[start + i]) return false;
  return true;
}
