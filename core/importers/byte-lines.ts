/**
 * Splits byte chunks into lines without making a string per line: a parser that reads bytes (strace's fast
 * path) gets each line as a range of the chunk, and only lines that cross a chunk border are copied.
 * The lines are the ones LineSplitter (lines.ts) makes from the decoded text: a leading UTF-8 BOM is dropped,
 * "\r\n" and a last lone "\r" lose the "\r", a last line without a newline counts. Decoding a line's bytes on
 * its own gives the same text as decoding the whole file, because byte 0x0A is never inside a UTF-8 sequence.
 */

/**
 * No capture format has lines this long (strace's own are kilobytes even with a large -s; systrace pages
 * are HTML). A longer line is damage or not a capture, and is never held whole: only its first bytes are kept.
 */
export const MAX_LINE_BYTES = 4 << 20;
/** Bytes of an over-long line kept to show what it looked like. */
const HEAD_BYTES = 256;

export interface ByteLineSink {
  /** One line: buf[start, end). The bytes are only valid during the call (the buffer is reused). */
  line(buf: Uint8Array, start: number, end: number): void;
  /** A line longer than the limit: its first bytes and its length (line end excluded); the rest was skipped. */
  overlong(head: Uint8Array, bytes: number): void;
}

const NL = 10;
const CR = 13;

export class ByteLineSplitter {
  /** The start of a line that a chunk border cut; it grows up to maxLine, then only its head is kept. */
  private tail = new Uint8Array(1024);
  private tailLen = 0;
  private skipped = -1;
  private skippedHead: Uint8Array | null = null;
  private atStart = true;

  constructor(
    private readonly sink: ByteLineSink,
    private readonly maxLine = MAX_LINE_BYTES,
  ) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    if (this.tailLen > 0 || this.skipped >= 0) {
      const nl = chunk.indexOf(NL);
      if (nl === -1) {
        this.keep(chunk, 0, chunk.length);
        return;
      }
      this.keep(chunk, 0, nl);
      this.flushTail(true);
      pos = nl + 1;
    }
    for (let nl = chunk.indexOf(NL, pos); nl !== -1; nl = chunk.indexOf(NL, pos)) {
      this.emit(chunk, pos, nl, true);
      pos = nl + 1;
    }
    if (pos < chunk.length) this.keep(chunk, pos, chunk.length);
  }

  end(): void {
    if (this.tailLen > 0 || this.skipped >= 0) this.flushTail(false);
  }

  private emit(buf: Uint8Array, start: number, end: number, newline: boolean): void {
    if (end - start > this.maxLine) {
      this.atStart = false;
      this.sink.overlong(buf.slice(start, start + HEAD_BYTES), end - start);
      return;
    }
    if (this.atStart) {
      this.atStart = false;
      if (end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    // Without a newline, only a non-empty rest is a line (as in LineSplitter).
    if (!newline && start === end) return;
    if (end > start && buf[end - 1] === CR) end--;
    this.sink.line(buf, start, end);
  }

  private keep(chunk: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.skipped >= 0) {
      this.skipped += n;
      return;
    }
    if (this.tailLen + n > this.maxLine) {
      const head = new Uint8Array(HEAD_BYTES);
      head.set(this.tail.subarray(0, Math.min(this.tailLen, HEAD_BYTES)));
      if (this.tailLen < HEAD_BYTES) head.set(chunk.subarray(start, start + HEAD_BYTES - this.tailLen), this.tailLen);
      this.skippedHead = head.subarray(0, Math.min(HEAD_BYTES, this.tailLen + n));
      this.skipped = this.tailLen + n;
      this.tailLen = 0;
      this.tail = new Uint8Array(1024);
      return;
    }
    if (this.tailLen + n > this.tail.length) {
      let size = this.tail.length * 2;
      while (size < this.tailLen + n) size *= 2;
      const next = new Uint8Array(size);
      next.set(this.tail.subarray(0, this.tailLen));
      this.tail = next;
    }
    this.tail.set(chunk.subarray(start, end), this.tailLen);
    this.tailLen += n;
  }

  private flushTail(newline: boolean): void {
    if (this.skipped >= 0) {
      const bytes = this.skipped;
      this.skipped = -1;
      this.atStart = false;
      this.sink.overlong(this.skippedHead!, bytes);
      this.skippedHead = null;
      return;
    }
    const len = this.tailLen;
    this.tailLen = 0;
    this.emit(this.tail, 0, len, newline);
  }
}

/** Decodes one line's bytes; the BOM was already dropped by the splitter, so a U+FEFF inside a line stays. */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
export function decodeLine(buf: Uint8Array, start: number, end: number): string {
  // A short ASCII line is its bytes as char codes: TextDecoder costs microseconds a call, which short lines
  // (the strace lines the byte path leaves to the string way, every line of the other importers) notice.
  if (end - start <= ASCII_MAX) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
  }
  return decoder.decode(buf.subarray(start, end));
}
/** Longer lines go to TextDecoder (and fromCharCode.apply's arguments stay far below any engine's limit). */
const ASCII_MAX = 2048;

/** A ByteLineSplitter that hands out decoded lines, for parsers that read strings; over-long lines as `null`. */
export function textLines(onLine: (line: string | null, overlongBytes: number, head: Uint8Array | null) => void, maxLine?: number): ByteLineSplitter {
  return new ByteLineSplitter(
    {
      line: (buf, start, end) => onLine(decodeLine(buf, start, end), 0, null),
      overlong: (head, bytes) => onLine(null, bytes, head),
    },
    maxLine,
  );
}
