import { describeFirstBytes, guessFormat, isZipStart } from '../bundle/sniff.ts';
import { ImportError } from './errors.ts';

/** What the first bytes of a dropped or named file say it is, before any text format is tried. */
export type InputKind = { kind: 'text' } | { kind: 'gzip' } | { kind: 'zip' };

const TRACE_CMD_MAGIC = [0x17, 0x08, 0x44, 0x74, 0x72, 0x61, 0x63, 0x69, 0x6e, 0x67]; // "\x17\x08Dtracing"
const startsWith = (b: Uint8Array, bytes: readonly number[]) => b.length >= bytes.length && bytes.every((x, i) => b[i] === x);

/**
 * Classifies a file by its first bytes (at least the first KiB, when the file has that many). Text, gzip and zip
 * go on; everything else is refused here with an ImportError saying what the file is and what to do with it.
 */
export function sniffInput(file: string, head: Uint8Array): InputKind {
  if (head.byteLength === 0) {
    throw new ImportError('empty', file, `${file} is empty (0 bytes): there is nothing to import. Was the capture still being written, or did the tool fail before its first line?`);
  }
  if (startsWith(head, [0x1f, 0x8b])) return { kind: 'gzip' };
  if (isZipStart(head)) return { kind: 'zip' };
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) {
    throw new ImportError('zstd', file, `${file} is zstd-compressed, which Telemetry Lab cannot decompress: run "zstd -d ${file}" and import the result (gzip-compressed files are imported as they are).`);
  }
  if (startsWith(head, TRACE_CMD_MAGIC)) {
    // openSource reads a trace.dat itself (importers/trace-dat.ts); one arrives here only inside gzip.
    throw new ImportError('trace-cmd-dat', file, `${file} holds a trace-cmd recording (trace.dat) inside gzip compression; Telemetry Lab reads trace.dat files as trace-cmd writes them: decompress it (gunzip -k) and import the .dat itself.`);
  }
  if (startsWith(head, [0x50, 0x45, 0x52, 0x46, 0x49, 0x4c, 0x45, 0x32])) {
    throw new ImportError('perf-data', file, `${file} is a binary perf.data file. Turn it into text with "perf sched script -i ${file} > sched.txt" (a perf sched record) or "perf script -i ${file}", and import that.`);
  }
  if (utf16(head)) {
    throw new ImportError('utf16', file, `${file} is UTF-16 text (as Windows PowerShell's ">" writes), not UTF-8. Convert it with "iconv -f UTF-16 -t UTF-8 ${file} > ${file}.utf8" and import the result.`);
  }
  if (binary(head)) {
    const looks = guessFormat(head);
    throw new ImportError('binary', file, `${file} is binary data, not text (it starts with ${describeFirstBytes(head)}${looks ? `; it looks like ${looks}` : ''}). Telemetry Lab imports text captures (strace, ftrace, perf script/stat, PerfSpect, PSI, CSV) and .tlab bundles.`);
  }
  return { kind: 'text' };
}

/** A byte-order mark, or NUL in every other byte of the start (UTF-16 without a mark). */
function utf16(b: Uint8Array): boolean {
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) return true;
  const n = Math.min(b.length, 256) & ~1;
  if (n < 8) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++;
    if (b[i + 1] === 0) oddNul++;
  }
  return Math.max(evenNul, oddNul) >= (n / 2) * 0.9;
}

/** NUL bytes, or more than 10% control bytes other than tab, CR, LF, FF and ESC, in the first KiB. */
function binary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 1024);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) return true;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 27) control++;
  }
  return control > n * 0.1;
}
