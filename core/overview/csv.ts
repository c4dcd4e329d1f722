import type { Table } from 'apache-arrow';

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'bigint' ? v.toString() : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One result cell: numbers as written, NaN and ±Infinity (nothing measured) as empty, text quoted when needed. */
export function csvCell(v: string | number | null | undefined): string {
  return typeof v === 'number' && !Number.isFinite(v) ? '' : cell(v);
}

/** A table as CSV (RFC 4180), in pieces of about `rowsPerChunk` rows so a large table never becomes one string. */
export function* tableToCsv(table: Table, rowsPerChunk = 50_000): Generator<string> {
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((n) => table.getChild(n)!);
  yield names.map(cell).join(',') + '\n';
  for (let start = 0; start < table.numRows; start += rowsPerChunk) {
    const end = Math.min(table.numRows, start + rowsPerChunk);
    const lines: string[] = [];
    for (let i = start; i < end; i++) lines.push(cols.map((c) => cell(c.get(i))).join(','));
    yield lines.join('\n') + '\n';
  }
}
