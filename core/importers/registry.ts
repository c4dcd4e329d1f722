import { isZipStart, parseLfsPointer } from '../bundle/sniff.ts';
import { detectTextFormat, TEXT_FORMATS, type TextFormat } from './detect.ts';
import { SAMPLE_BYTES } from './text-input.ts';

/**
 * The one place that says which importers exist and how a file is recognised, for the CLI (grouping strace -ff
 * files), the app's drop handler and the loader alike: the same sample size and the same detectors everywhere.
 */
export { SAMPLE_BYTES, TEXT_FORMATS, type TextFormat };

/**
 * The capture format of a file's first SAMPLE_BYTES, or null when it is no text capture (a bundle, an LFS
 * pointer, compressed or binary data, or text no importer recognises). Compressed files are recognised
 * after decompression, by importCapture/openSource.
 */
export function detectCapture(head: Uint8Array): TextFormat | null {
  const sample = head.subarray(0, SAMPLE_BYTES);
  if (sample.byteLength === 0 || isZipStart(sample) || parseLfsPointer(sample.subarray(0, 1024))) return null;
  if (sample[0] === 0x1f && sample[1] === 0x8b) return null;
  return detectTextFormat(new TextDecoder().decode(sample)).format;
}
