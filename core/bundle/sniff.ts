/** Recognises what a file is from its first bytes, so a wrong file gets a useful message. */

const LFS_HEADER = 'version https://git-lfs.github.com/spec/';

export function isZipStart(b: Uint8Array): boolean {
  // Local file header, or the end-of-central-directory record of an empty zip.
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

export function parseLfsPointer(b: Uint8Array): { oid: string | null; size: number | null } | null {
  if (b.length > 1024) return null;
  const text = new TextDecoder().decode(b);
  if (!text.startsWith(LFS_HEADER)) return null;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1] ?? null;
  const size = /^size (\d+)$/m.exec(text)?.[1];
  return { oid, size: size !== undefined ? Number(size) : null };
}

export function describeFirstBytes(b: Uint8Array): string {
  const head = b.subarray(0, 12);
  const printable = Array.from(head).every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127));
  if (printable) return JSON.stringify(new TextDecoder().decode(head));
  return Array.from(head.subarray(0, 8), (c) => c.toString(16).padStart(2, '0')).join(' ');
}

export function guessFormat(b: Uint8Array): string | null {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 4096));
  const starts = (...bytes: number[]) => bytes.every((x, i) => b[i] === x);
  if (starts(0x1f, 0x8b)) return 'a gzip file (decompress it first)';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'a zstd file (decompress it first)';
  if (text.startsWith('PERFILE2')) return 'a binary perf.data file (convert it with "perf script" or "perf stat -x,")';
  if (text.startsWith('ARROW1')) return 'a bare Arrow IPC file, not a bundle';
  if (text.startsWith('PAR1')) return 'a Parquet file';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (/^\s*[[{]/.test(text)) return 'JSON';
  if (/^\s*<(!doctype|html)/i.test(text)) return 'an HTML page';
  if (/^(\[pid\s+\d+\]\s+|\d+\s+)?(\d+[:.]\d+[:.\d]*\s+)?[a-z_0-9]+\(.*\)\s+=\s/m.test(text)) return 'an strace log (import it with "tlab import")';
  if (/^#\s*tracer:|sched_switch:|^cpus=\d+/m.test(text)) return 'ftrace text (import it with "tlab import")';
  return null;
}
