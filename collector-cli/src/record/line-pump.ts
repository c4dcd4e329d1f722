import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { LineSplitter } from '../../../core/importers/index.ts';

/**
 * Feeds tool output to a parser line by line as it arrives, counting lines and bytes for the status line,
 * and optionally teeing the bytes to a file for raw/ (kept on disk, not in memory).
 */
export class LinePump {
  lines = 0;
  bytes = 0;
  private readonly splitter = new LineSplitter();
  private rawFd: number | null = null;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly rawPath: string | null,
  ) {
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
    for (const line of this.splitter.push(chunk)) this.feed(line);
  }

  private feed(line: string): void {
    this.lines++;
    this.onLine(line);
  }

  /** Flushes a last unterminated line; returns the raw bytes if they were kept, and deletes the file. */
  finish(): Uint8Array | null {
    for (const line of this.splitter.end()) this.feed(line);
    if (this.rawFd === null || !this.rawPath) return null;
    closeSync(this.rawFd);
    this.rawFd = null;
    const data = readFileSync(this.rawPath);
    rmSync(this.rawPath, { force: true });
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
}
