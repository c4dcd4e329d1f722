import { isZipStart, parseLfsPointer } from '../bundle/sniff.ts';
import { csvSeriesImporter } from './csv-series.ts';
import { ftraceImporter } from './ftrace.ts';
import { MIN_CONFIDENCE, shareOf, type Importer } from './importer.ts';
import { kernelOracleImporter } from './kernel-oracle.ts';
import { perfSchedImporter } from './perf-sched.ts';
import { perfStatImporter } from './perf-stat.ts';
import { perfSpectSummaryImporter } from './perfspect.ts';
import { perfSpectSeriesImporter } from './perfspect-series.ts';
import { psiImporter } from './psi.ts';
import { straceImporter } from './strace.ts';
import { systraceImporter } from './systrace.ts';
import { traceDatImporter } from './trace-dat.ts';
import { SAMPLE_BYTES } from './text-input.ts';

/**
 * The one place that says which importers exist and how a file is recognised, for the CLI (grouping strace -ff
 * files, --format, --help), the app's drop handler and the loader alike: the same sample size and the same
 * detectors everywhere. Each importer module exports its detector, parser and metadata; this list is all
 * that knows them. Order matters only for ties: an earlier format wins.
 */
export const IMPORTERS = [
  straceImporter,
  ftraceImporter,
  systraceImporter,
  perfStatImporter,
  perfSchedImporter,
  perfSpectSummaryImporter,
  perfSpectSeriesImporter,
  kernelOracleImporter,
  psiImporter,
  // Last and a fallback: only when no specific format is recognised.
  csvSeriesImporter,
] as const;

/** A text format an importer reads. */
export type TextFormat = (typeof IMPORTERS)[number]['format'];

export const TEXT_FORMATS: readonly { format: TextFormat; title: string }[] = IMPORTERS.map((i) => ({ format: i.format, title: i.title }));

/**
 * Binary captures, recognised by their magic bytes and read whole (openSource takes them before the text
 * path): each module exports its detector (detect), parser (parse) and metadata (format, title).
 */
export const BINARY_IMPORTERS = [traceDatImporter] as const;

export type BinaryFormat = (typeof BINARY_IMPORTERS)[number]['format'];

/** Every format a file can be imported from, text and binary, for help texts and the app's list. */
export const CAPTURE_FORMATS: readonly { format: TextFormat | BinaryFormat; title: string }[] = [...TEXT_FORMATS, ...BINARY_IMPORTERS.map((i) => ({ format: i.format, title: i.title }))];

/** The binary importer whose magic the file starts with, or null. */
export function binaryImporterFor(head: Uint8Array): (typeof BINARY_IMPORTERS)[number] | null {
  return BINARY_IMPORTERS.find((i) => i.detect(head)) ?? null;
}

export { SAMPLE_BYTES };

const BY_FORMAT = new Map<string, Importer<TextFormat>>(IMPORTERS.map((i) => [i.format, i as Importer<TextFormat>]));

export function isTextFormat(name: string): name is TextFormat {
  return BY_FORMAT.has(name);
}

export function importerFor(format: TextFormat): Importer<TextFormat> {
  return BY_FORMAT.get(format)!;
}

export interface Detection {
  readonly format: TextFormat | null;
  /** Each format's confidence for the sample, for the message when nothing matched. */
  readonly scores: Readonly<Record<TextFormat, number>>;
}

/**
 * Recognises a capture by its content (not its name): each detector gives its confidence for the first 60
 * lines of the sample that are not blank or comments; fallback formats are tried only when no other reaches
 * MIN_CONFIDENCE.
 */
export function detectTextFormat(head: string): Detection {
  const lines = head
    .split(/\r?\n/)
    .slice(0, 200)
    // The last line of a sample may be cut in the middle.
    .slice(0, -1)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .slice(0, 60);
  const scores = {} as Record<TextFormat, number>;
  for (const i of IMPORTERS) scores[i.format] = i.detector.confidence ? i.detector.confidence(lines, head) : shareOf(lines, i.detector.patterns);
  const pick = (fallback: boolean) => {
    let best: TextFormat | null = null;
    for (const i of IMPORTERS) {
      if (Boolean(i.detector.fallback) !== fallback) continue;
      if (scores[i.format] >= MIN_CONFIDENCE && (best === null || scores[i.format] > scores[best])) best = i.format;
    }
    return best;
  };
  return { format: pick(false) ?? pick(true), scores };
}

/**
 * The capture format of a file's first SAMPLE_BYTES, or null when it is no capture (a bundle, an LFS pointer,
 * compressed or binary data no importer reads, or text no importer recognises). Compressed files are recognised
 * after decompression, by importCapture/openSource.
 */
export function detectCapture(head: Uint8Array): TextFormat | BinaryFormat | null {
  const binary = binaryImporterFor(head);
  if (binary) return binary.format;
  const sample = head.subarray(0, SAMPLE_BYTES);
  if (sample.byteLength === 0 || isZipStart(sample) || parseLfsPointer(sample.subarray(0, 1024))) return null;
  if (sample[0] === 0x1f && sample[1] === 0x8b) return null;
  return detectTextFormat(new TextDecoder().decode(sample)).format;
}
