import { randomBytes } from 'node:crypto';
import { closeSync, constants, createWriteStream, fchmodSync, fsyncSync, lstatSync, openSync, readSync, readlinkSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Every file the CLI writes goes through here. `tlab record` runs as root, often with its output in a directory
 * other users can write to (a shared /tmp, a project folder), so nothing it writes may follow a link one of them
 * planted there:
 * - the output path itself may not be a symbolic link (refused with a message, before and at writing);
 * - the data goes to a new file with an unpredictable name next to the output, created with
 *   O_CREAT | O_EXCL | O_NOFOLLOW and mode 0600: it is never an existing file, never a link's target, and no one
 *   else can open it while it is written;
 * - once complete (and verified, when asked), it gets the usual mode (0666 less the umask) and is renamed onto
 *   the output; rename(2) replaces a link planted in the meantime instead of writing through it.
 */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputError';
  }
}

const CREATE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new OutputError(`cannot check ${path}: ${(e as Error).message}`);
  }
}

/** Refuses an output path that is a symbolic link or not a regular file; call it before long work, so it fails early. */
export function checkOutputPath(output: string): void {
  const st = lstatOrNull(output);
  if (!st) return;
  if (st.isSymbolicLink()) {
    let target = '?';
    try {
      target = readlinkSync(output);
    } catch {
      // Gone meanwhile: still refused, the name was a link when looked at.
    }
    throw new OutputError(`${output} is a symbolic link (to ${target}); refusing to write through it. Remove the link or choose another output name`);
  }
  if (!st.isFile()) throw new OutputError(`${output} exists and is not a regular file; refusing to replace it`);
}

function temporaryName(output: string): string {
  return join(dirname(output), `.${basename(output)}.partial-${process.pid}-${randomBytes(6).toString('hex')}`);
}

function describeOpenError(path: string, e: unknown): OutputError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return new OutputError(`${path} became a symbolic link while writing; refusing to follow it`);
  return new OutputError(`cannot write next to the output (${path}): ${(e as Error).message}`);
}

function normalMode(): number {
  // process.umask() with no argument reads it (and is the only way to); it is restored at once.
  const mask = process.umask(0o022);
  process.umask(mask);
  return 0o666 & ~mask;
}

/** A private file being written: closed exactly once, removed unless it was renamed onto the output. */
class Temporary {
  private open = true;
  constructor(
    readonly fd: number,
    readonly path: string,
  ) {}

  /** Gives it the usual mode, flushes it and renames it onto `output` (checked again just before). */
  commit(output: string): void {
    fchmodSync(this.fd, normalMode());
    fsyncSync(this.fd);
    this.close();
    checkOutputPath(output);
    renameSync(this.path, output);
  }

  close(): void {
    if (this.open) closeSync(this.fd);
    this.open = false;
  }

  discard(): void {
    try {
      this.close();
    } catch {
      // Nothing more to do with it.
    }
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}

/** Opens a new private temporary file next to `output`; retries with another name if one is taken. */
function createTemporary(output: string): Temporary {
  checkOutputPath(output);
  for (let attempt = 0; ; attempt++) {
    const tmp = temporaryName(output);
    try {
      return new Temporary(openSync(tmp, CREATE_FLAGS, 0o600), tmp);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 5) continue;
      throw describeOpenError(tmp, e);
    }
  }
}

/**
 * Writes `data` to `output` safely (see above). `verify` gets the bytes read back through the same descriptor
 * (never by name) and may throw to keep the output untouched.
 */
export async function writeFileSafely(output: string, data: Uint8Array, verify?: (readBack: Uint8Array) => Promise<void> | void): Promise<void> {
  const tmp = createTemporary(output);
  const fd = tmp.fd;
  try {
    for (let off = 0; off < data.byteLength; ) off += writeSync(fd, data, off, data.byteLength - off, off);
    if (verify) {
      const back = new Uint8Array(data.byteLength);
      for (let off = 0; off < back.byteLength; ) {
        const n = readSync(fd, back, off, back.byteLength - off, off);
        if (n === 0) throw new OutputError(`${tmp.path} reads back shorter than written`);
        off += n;
      }
      await verify(back);
    }
    tmp.commit(output);
  } catch (e) {
    tmp.discard();
    throw e;
  }
}

/** The same for output produced piece by piece: `produce` writes through a stream on the private file. */
export async function writeStreamSafely(output: string, produce: (write: (piece: string | Uint8Array) => Promise<void>) => Promise<void>): Promise<void> {
  const tmp = createTemporary(output);
  try {
    // With `fd` given the path argument is ignored: the stream writes to the file opened above, never by name.
    const stream = createWriteStream('', { fd: tmp.fd, autoClose: false });
    const write = (piece: string | Uint8Array) =>
      new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        if (stream.write(piece)) {
          stream.off('error', reject);
          resolve();
        } else {
          stream.once('drain', () => {
            stream.off('error', reject);
            resolve();
          });
        }
      });
    await produce(write);
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
    tmp.commit(output);
  } catch (e) {
    tmp.discard();
    throw e;
  }
}
