import { formatCount, type BundleError } from './errors.ts';
import { TABLE_SPECS, type ColumnKind, type TableName } from './tables.ts';

/**
 * How large the parts of a bundle may get before the reader refuses it. A bundle is a zip: a few kilobytes can
 * inflate to gigabytes, and a manifest can nest or repeat without end. Every entry is inflated against a limit
 * known before its first byte is inflated (manifest.json: a fixed cap; a table: from the manifest's row count;
 * a raw capture: the manifest's `bytes`), so a hostile file costs at most its limit, never its claimed size.
 * Real bundles stay far below every limit: a manifest is about 6 KB and a table about 50-1500 bytes per row.
 */
export const BUNDLE_LIMITS = {
  /** manifest.json, inflated. */
  manifestBytes: 1 << 20,
  /** Nesting of objects and arrays in the manifest (a real one nests about 6 deep). */
  manifestDepth: 32,
  /** Characters in one manifest string, key or value, as written in the JSON text. */
  manifestStringChars: 65_536,
  /** Items in one manifest array. */
  manifestArrayItems: 10_000,
  /** Keys in one manifest object. */
  manifestObjectKeys: 10_000,
  /** Files in the zip: the manifest, the tables and at most manifestArrayItems raw captures. */
  zipEntries: 10_100,
  /** Any one inflated entry, whatever the manifest says. */
  entryBytes: 1 << 30,
  /**
   * Inflated / compressed bytes, checked once an entry has inflated more than ratioCheckAfterBytes. The demo
   * tables compress 10-60x; runs of zeros compress about 1000x.
   */
  maxRatio: 256,
  ratioCheckAfterBytes: 16 << 20,
} as const;

/**
 * Most bytes one value of a column may take in an Arrow IPC file, on average over a table: the value, its share
 * of the validity bitmap (rounded up to a byte), and for text its offsets and characters (dictionary columns may
 * also be written as plain utf8 by other tools; command names are at most 16 bytes, syscall names and scopes
 * short, argument text is only kept on request).
 */
const BYTES_PER_VALUE: Record<ColumnKind, number> = {
  i64: 8 + 1,
  f64: 8 + 1,
  i32: 4 + 1,
  // Int32 in bundles before format 1.2.
  i16: 4 + 1,
  dict: 4 + 1 + 8 + 64,
  utf8: 8 + 1 + 1024,
};
/** Schema, footer, per-batch metadata and buffer padding (64-byte alignment) of an Arrow IPC file. */
const ARROW_SLACK_BYTES = 1 << 20;
const ARROW_SLACK_PER_COLUMN = 64 << 10;

/** The most bytes `tables/NAME.arrow` may inflate to when the manifest says it has `rows` rows. */
export function tableByteLimit(name: TableName, rows: number): { limit: number; basis: string } {
  const columns = TABLE_SPECS[name].columns;
  let perRow = 0;
  for (const c of columns) perRow += BYTES_PER_VALUE[c.kind];
  const bound = ARROW_SLACK_BYTES + ARROW_SLACK_PER_COLUMN * columns.length + rows * perRow;
  if (bound >= BUNDLE_LIMITS.entryBytes) {
    return { limit: BUNDLE_LIMITS.entryBytes, basis: `no table may exceed ${BUNDLE_LIMITS.entryBytes / (1 << 30)} GiB` };
  }
  return {
    limit: bound,
    basis: `the manifest lists ${formatCount(rows)} rows of ${columns.length} columns, at most ${perRow} bytes a row plus Arrow's overhead`,
  };
}

/**
 * The most bytes `tables/NAME/COLUMN.arrow` (format 2) may inflate to; a column the spec does not know is bounded
 * as text. A fixed-width column is close to its bound (an int64 column is 8 bytes a row), so a byte a row more is
 * allowed for record batches' metadata and padding (about 300 bytes a batch: batches of 300 rows or more fit).
 */
export function columnByteLimit(name: TableName, column: string, rows: number): { limit: number; basis: string } {
  const kind = TABLE_SPECS[name].columns.find((c) => c.name === column)?.kind ?? 'utf8';
  const perRow = BYTES_PER_VALUE[kind] + 1;
  const bound = ARROW_SLACK_BYTES + ARROW_SLACK_PER_COLUMN + rows * perRow;
  if (bound >= BUNDLE_LIMITS.entryBytes) {
    return { limit: BUNDLE_LIMITS.entryBytes, basis: `no column may exceed ${BUNDLE_LIMITS.entryBytes / (1 << 30)} GiB` };
  }
  return {
    limit: bound,
    basis: `the manifest lists ${formatCount(rows)} rows of ${kind} values, at most ${perRow} bytes a row plus Arrow's overhead`,
  };
}

/**
 * Checks the manifest's JSON text before it is parsed: nesting depth, string lengths, array and object sizes.
 * One pass over the characters with an explicit stack, so neither this nor the JSON.parse after it can run out
 * of stack or build a huge structure. Returns the first limit broken, with a JSON path to it, or null. Text that
 * is not valid JSON is left for JSON.parse to report.
 */
export function checkManifestShape(text: string, limits = BUNDLE_LIMITS): BundleError | null {
  interface Frame {
    array: boolean;
    count: number;
    key: string | null;
    expectKey: boolean;
  }
  const stack: Frame[] = [];
  const path = (container = false) =>
    '$' +
    (container ? stack.slice(0, -1) : stack)
      .map((f) => (f.array ? `[${f.count}]` : f.key === null ? '' : /^[A-Za-z_$][\w$]*$/.test(f.key) ? `.${f.key}` : `[${JSON.stringify(f.key)}]`))
      .join('');
  const tooComplex = (what: 'depth' | 'string' | 'array' | 'object', found: number, limit: number): BundleError => ({
    kind: 'manifest-too-complex',
    what,
    // An object with too many keys is named itself: the key after the last comma is not read yet.
    path: path(what === 'object'),
    found,
    limit,
  });
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const start = i + 1;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      const length = Math.min(i, n) - start;
      const top = stack[stack.length - 1];
      if (top && !top.array && top.expectKey) {
        top.key = text.slice(start, start + Math.min(length, 64));
        top.expectKey = false;
      }
      if (length > limits.manifestStringChars) {
        // Measure the whole string for the message: it is already in memory.
        return tooComplex('string', length, limits.manifestStringChars);
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= limits.manifestDepth) {
        const error = tooComplex('depth', 0, limits.manifestDepth);
        return { ...error, found: deepest(text, i, stack.length) } as BundleError;
      }
      stack.push({ array: c === 0x5b, count: 0, key: null, expectKey: c === 0x7b });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (!top) continue;
      top.count++;
      if (top.array && top.count >= limits.manifestArrayItems) return tooComplex('array', top.count + 1, limits.manifestArrayItems);
      if (!top.array) {
        top.expectKey = true;
        if (top.count >= limits.manifestObjectKeys) return tooComplex('object', top.count + 1, limits.manifestObjectKeys);
      }
    }
  }
  return null;
}

/** The deepest nesting in `text` from position `from`, where the depth is `depth` (strings skipped). */
function deepest(text: string, from: number, depth: number): number {
  let max = depth;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
