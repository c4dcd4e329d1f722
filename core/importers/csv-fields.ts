/**
 * Comma-separated fields of one line; a field in double quotes may hold commas and doubled quotes, as
 * pandas' to_csv and Python's csv module write them.
 */
export function splitCsv(line: string, separator = ','): string[] {
  if (!line.includes('"')) return line.split(separator);
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?$/i;
const NOT_A_NUMBER = /^(?:[-+]?nan)?$/i;
const INFINITE = /^[-+]?inf(?:inity)?$/i;

/**
 * A numeric cell as pandas, Python and Go write them: a number; null for empty or NaN; 'infinite' for an
 * infinity ("inf", "+Inf"); undefined when it is not a number at all.
 */
export function csvNumber(cell: string): number | null | 'infinite' | undefined {
  const t = cell.trim();
  if (NOT_A_NUMBER.test(t)) return null;
  if (INFINITE.test(t)) return 'infinite';
  if (!NUMBER.test(t)) return undefined;
  // "1e999" is a number too large for a double: infinite, like "inf".
  const v = Number(t);
  return Number.isFinite(v) ? v : 'infinite';
}

/** The separator a header line uses: the most frequent of comma, semicolon (sadf -d) and tab. */
export function csvSeparator(header: string): ',' | ';' | '\t' {
  const count = (c: string) => header.split(c).length - 1;
  const [comma, semi, tab] = [count(','), count(';'), count('\t')];
  return semi > comma && semi >= tab ? ';' : tab > comma && tab > semi ? '\t' : ',';
}
