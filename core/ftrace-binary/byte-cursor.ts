/** A bounds-checked reader over a file's bytes: every read past the end is a TraceDatError naming the offset and what was being read. */
export class TraceDatError extends Error {
  constructor(
    /** Byte offset in the file where reading failed. */
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'TraceDatError';
  }
}

const ascii = new TextDecoder('utf-8');

export class ByteCursor {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    public littleEndian: boolean,
    /** Added to positions in messages when these bytes are a decompressed section (its file offset). */
    readonly base = 0,
    readonly label = 'file',
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get left(): number {
    return this.bytes.byteLength - this.pos;
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.bytes.byteLength) {
      // A damaged offset can point past the end: say where the end is rather than a negative count of bytes left.
      const left = this.left >= 0 ? `but only ${this.left} are left` : `past the end of the ${this.label} (${this.bytes.byteLength} bytes)`;
      throw new TraceDatError(this.base + this.pos, `${what}: needs ${n} bytes at ${this.where()}, ${left} (the file is cut short or damaged)`);
    }
  }

  where(at = this.pos): string {
    return this.base ? `byte ${at} of the ${this.label} at file offset ${this.base}` : `file offset ${at}`;
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }
  u16(what: string): number {
    this.need(2, what);
    const v = this.view.getUint16(this.pos, this.littleEndian);
    this.pos += 2;
    return v;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }
  /** A u64 as a number: sizes and offsets in a file never pass 2^53. */
  u64(what: string): number {
    this.need(8, what);
    const v = this.view.getBigUint64(this.pos, this.littleEndian);
    this.pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new TraceDatError(this.base + this.pos - 8, `${what}: ${v} at ${this.where(this.pos - 8)} is no size or offset a file can have`);
    return Number(v);
  }
  take(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  text(n: number, what: string): string {
    return ascii.decode(this.take(n, what));
  }
  cstring(what: string, max = 4096): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0 || end - this.pos > max) throw new TraceDatError(this.base + this.pos, `${what}: no NUL-terminated string at ${this.where()}`);
    const s = ascii.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }
  expect(tag: string, what: string): void {
    const got = this.text(tag.length, what);
    if (got !== tag) throw new TraceDatError(this.base + this.pos - tag.length, `${what}: expected ${JSON.stringify(tag)} at ${this.where(this.pos - tag.length)}, found ${JSON.stringify(got)}`);
  }
}
