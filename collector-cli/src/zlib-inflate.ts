import { inflateRawSync } from 'node:zlib';
import { useOneShotInflate, type OneShotInflate } from '../../core/bundle/unzip-stream.ts';

/** zlib's one-shot raw inflate, stopped by maxOutputLength: `'too-large'` when the output would pass it. */
export const zlibInflateRaw: OneShotInflate = (compressed, maxOutput, expectedSize) => {
  try {
    // One output chunk of the expected size (+1, so zlib sees the end without a second chunk): no joining copy.
    const chunkSize = expectedSize !== null ? Math.max(64, Math.min(expectedSize + 1, 1 << 30)) : 64 << 10;
    const out = inflateRawSync(compressed, { maxOutputLength: Math.max(1, maxOutput), chunkSize });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return 'too-large';
    throw e;
  }
};

/** Bundles read in this process inflate their tables with zlib in one call (core/bundle/unzip-stream.ts says why). */
export function useZlibInflate(): void {
  useOneShotInflate(zlibInflateRaw);
}
