import type { Table } from 'apache-arrow';
import { readLines } from '../lines.ts';

/** Test support: feeding bytes to a parser, reading tables back as plain rows, damaging inputs. */

export async function feed(parser: { pushLine(line: string): void }, bytes: Uint8Array, chunkBytes?: number): Promise<void> {
  for await (const line of readLines(bytes, chunkBytes)) parser.pushLine(line);
}

export type PlainRow = Record<string, number | string | null>;

/** Rows as plain objects, int64 as numbers (exact: importers keep them below 2^53). */
export function rowsOf(table: Table): PlainRow[] {
  const out: PlainRow[] = [];
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((n) => table.getChild(n)!);
  for (let i = 0; i < table.numRows; i++) {
    const row: PlainRow = {};
    names.forEach((n, c) => {
      const v = cols[c]!.get(i) as unknown;
      row[n] = typeof v === 'bigint' ? Number(v) : (v as number | string | null);
    });
    out.push(row);
  }
  return out;
}

export function countBy(rows: PlainRow[], key: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    const k = String(r[key]);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/**
 * The file with extra lines put in so that each lands at the given 1-based line number of the result,
 * the way a log gets a stray message or a corrupt block in the middle.
 */
export function insertLines(bytes: Uint8Array, inserts: [lineNo: number, text: string][]): Uint8Array {
  const lines = new TextDecoder().decode(bytes).split('\n');
  for (const [lineNo, text] of [...inserts].sort((a, b) => a[0] - b[0])) lines.splice(lineNo - 1, 0, text);
  return new TextEncoder().encode(lines.join('\n'));
}
