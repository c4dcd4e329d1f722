import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { ByteLineSplitter, decodeLine } from '../../../core/importers/byte-lines.ts';

/** A parser that reads lines as bytes (strace's fast path), with the string way for what it cannot read so. */
export interface ByteLineConsumer {
  pushLineBytes(buf: Uint8Array, start: number, end: number): void;
  pushLine(line: string): void;
}

/**
 * Feeds tool output to a parser line by line as it arrives, counting lines and bytes for the status line,
 * and optionally teeing the bytes to a file for raw/ (kept on disk, not in memory).
 * Lines are split as bytes (the same lines as importing the file later gives): a parser that reads bytes gets
 * each line as a range of the chunk, without a string per line; a line callback gets the decoded text.
 * A line longer than MAX_LINE_BYTES is never held whole: it counts in `overlong` and the parser sees a blank line.
 */
export class LinePump {
  lines = 0;
  bytes = 0;
  /** Lines over MAX_LINE_BYTES that were skipped unread (damage: no tool writes such lines). */
  overlong = 0;
  private readonly splitter: ByteLineSplitter;
  private rawFd: number | null = null;

  constructor(
    consumer: ((line: string) => void) | ByteLineConsumer,
    private readonly rawPath: string | null,
  ) {
    const byLine = typeof consumer === 'function' ? consumer : null;
    const byBytes = typeof consumer === 'function' ? null : consumer;
    this.splitter = new ByteLineSplitter({
      line: (buf, start, end) => {
        this.lines++;
        if (byBytes) byBytes.pushLineBytes(buf, start, end);
        else byLine!(decodeLine(buf, start, end));
      },
      overlong: () => {
        this.lines++;
        this.overlong++;
        if (byBytes) byBytes.pushLine('');
        else byLine!('');
      },
    });
    if (rawPath) this.rawFd = openSync(rawPath, 'w');
  }

  /** Pumps a stream; resolves when it has ended. */
  from(stream: Readable): Promise<void> {
    return new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => this.push(chunk));
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', resolve);
    });
  }

  push(chunk: Uint8Array): void {
    this.bytes += chunk.byteLength;
    if (this.rawFd !== null) writeSync(this.rawFd, chunk);
    this.splitter.push(chunk);
  }

  /** Flushes a last unterminated line; returns the raw bytes if they were kept, and deletes the file. */
  finish(): Uint8Array | null {
    this.splitter.end();
    if (this.rawFd === null || !this.rawPath) return null;
    closeSync(this.rawFd);
    this.rawFd = null;
    const data = readFileSync(this.rawPath);
    rmSync(this.rawPath, { force: true });
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
}
