import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * A named pipe for a tool's -o output. Unlike a pipe on an inherited fd, the tool opens it itself with
 * close-on-exec, so the traced workload never holds it. Our own write end keeps the reader from seeing EOF
 * before the tool has opened it; close() lets EOF through once the tool is done.
 */
export class Fifo {
  readonly stream: Socket;
  private writeFd: number | null;

  constructor(readonly path: string) {
    execFileSync('mkfifo', ['-m', '600', path]);
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.writeFd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    this.stream = new Socket({ fd: readFd, readable: true, writable: false });
  }

  close(): void {
    if (this.writeFd === null) return;
    closeSync(this.writeFd);
    this.writeFd = null;
  }
}
