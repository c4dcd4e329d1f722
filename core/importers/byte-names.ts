import { decodeLine } from './byte-lines.ts';

/**
 * Interns short ASCII names (syscall names, errno names) read from bytes: the same bytes give the same string
 * object without decoding, through an open-addressing table keyed by a hash of the bytes. A capture has a few
 * hundred distinct names; damaged files can have any number, so past MAX_NAMES (or for long names) a name is
 * simply decoded.
 */
const SIZE = 1024;
/** Slots slotOf can return: arrays of this length hold what a caller keeps per name. */
export const SLOTS = SIZE;
const MAX_NAMES = SIZE / 2;
const MAX_NAME_BYTES = 64;

export class NameInterner {
  private readonly hashes = new Int32Array(SIZE);
  private readonly bytes: (Uint8Array | undefined)[] = new Array(SIZE);
  private readonly names: string[] = new Array(SIZE);
  private count = 0;

  intern(buf: Uint8Array, start: number, end: number): string {
    const slot = this.slotOf(buf, start, end);
    return slot < 0 ? decodeLine(buf, start, end) : this.names[slot]!;
  }

  /**
   * The table slot of a name (0 <= slot < SLOTS; the same bytes give the same slot for the interner's life), or
   * -1 for a name the table does not hold (too long, or the table is full). Callers keep what they derive from
   * a name (a column code, a flag) per slot, so a known name costs its hash and one comparison.
   */
  slotOf(buf: Uint8Array, start: number, end: number): number {
    const n = end - start;
    if (n > MAX_NAME_BYTES) return -1;
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    for (let slot = h & (SIZE - 1); ; slot = (slot + 1) & (SIZE - 1)) {
      const b = this.bytes[slot];
      if (b === undefined) {
        if (this.count >= MAX_NAMES) return -1;
        this.bytes[slot] = buf.slice(start, end);
        this.hashes[slot] = h;
        this.names[slot] = decodeLine(buf, start, end);
        this.count++;
        return slot;
      }
      if (this.hashes[slot] === h && b.length === n && same(b, buf, start)) return slot;
    }
  }

  /** The name in a slot slotOf returned. */
  nameAt(slot: number): string {
    return this.names[slot]!;
  }
}

function same(b: Uint8Array, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== buf[start + i]) return false;
  return true;
}
