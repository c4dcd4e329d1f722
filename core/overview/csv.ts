import type { Table } from 'apache-arrow';

// A spreadsheet reads a cell that starts with one of these as a formula (OWASP "CSV injection"): = + - @, and tab
// and carriage return, which some programs skip before looking for one.
const FORMULA_START = /^[=+\-@\t\r]/;
// Text that is only a number ("-1.5", "+3", "2e-7") stays a number: a spreadsheet reads it as the number it is.
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Text from a bundle or the user (task and syscall names, workload labels, file names) is neutralised as OWASP
 * recommends: a leading single quote makes a spreadsheet show it as text instead of running it. Numbers (and
 * text that is only a number) are written as they are.
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'bigint' || typeof v === 'number' ? String(v) : neutraliseFormula(String(v));
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One result cell: numbers as written, NaN and ±Infinity (nothing measured) as empty, text quoted when needed and
 * never read as a formula (see neutraliseFormula).
 */
export function csvCell(v: string | number | null | undefined): string {
  return typeof v === 'number' && !Number.isFinite(v) ? '' : cell(v);
}

/**
 * A table as CSV (RFC 4180), in pieces of about `rowsPerChunk` rows so a large table never becomes one string;
 * text cells never read as formulas (see neutraliseFormula).
 */
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
