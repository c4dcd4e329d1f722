import { concatBytes } from '../bytes/concat.ts';
import { unzlibSync } from 'fflate';
import { decompress as unzstd } from 'fzstd';
import { ByteCursor, TraceDatError } from './byte-cursor.ts';

/**
 * trace-cmd (v7) compresses sections as one block (u32 compressed size, u32 size, data) and CPU data as chunks
 * (u32 count, then per chunk the same two sizes and data), with the file's one algorithm: zstd or zlib.
 */
export type Inflate = (data: Uint8Array, size: number, where: number) => Uint8Array;

export function inflaterFor(name: string): Inflate | null {
  if (name === 'none') return null;
  const run = name === 'zstd' ? (d: Uint8Array) => unzstd(d) : name === 'zlib' ? (d: Uint8Array) => unzlibSync(d) : null;
  if (!run) throw new TraceDatError(0, `the file is compressed with "${name}", which Telemetry Lab cannot decompress (it reads zstd and zlib); "trace-cmd convert --compression none -i FILE -o OUT" writes an uncompressed copy`);
  return (data, size, where) => {
    let out: Uint8Array;
    try {
      out = run(data);
    } catch (e) {
      throw new TraceDatError(where, `${name} data at file offset ${where} does not decompress (${(e as Error).message}): the file is damaged`);
    }
    if (out.byteLength !== size) throw new TraceDatError(where, `${name} data at file offset ${where} gave ${out.byteLength} bytes where the file says ${size}: the file is damaged`);
    return out;
  };
}

/** One compressed block at the cursor. */
export function inflateBlock(c: ByteCursor, inflate: Inflate, what: string): Uint8Array {
  const at = c.pos;
  const packed = c.u32(`${what}: compressed size`);
  const size = c.u32(`${what}: size`);
  return inflate(c.take(packed, `${what}: compressed data`), size, c.base + at);
}

/** A CPU's chunked data at the cursor, decompressed and joined. */
export function inflateChunks(c: ByteCursor, inflate: Inflate, what: string): Uint8Array {
  const count = c.u32(`${what}: chunk count`);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) parts.push(inflateBlock(c, inflate, `${what}, chunk ${i + 1} of ${count}`));
  return concatBytes(parts);
}
