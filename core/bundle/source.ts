/** Byte sources the reader accepts: anything that yields chunks, so no file is ever held as one string. */
export type ByteSource = Uint8Array | Blob | AsyncIterable<Uint8Array>;

export const DEFAULT_CHUNK_BYTES = 4 << 20;

export async function* chunksOf(source: ByteSource, chunkBytes = DEFAULT_CHUNK_BYTES): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    for (let off = 0; off < source.byteLength; off += chunkBytes) yield source.subarray(off, off + chunkBytes);
    return;
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    for (let off = 0; off < source.size; off += chunkBytes) {
      yield new Uint8Array(await source.slice(off, off + chunkBytes).arrayBuffer());
    }
    return;
  }
  for await (const chunk of source as AsyncIterable<Uint8Array>) yield chunk;
}

export function sizeOf(source: ByteSource): number | null {
  if (source instanceof Uint8Array) return source.byteLength;
  if (typeof Blob !== 'undefined' && source instanceof Blob) return source.size;
  return null;
}
