/**
 * tracefs describes the binary layout of every event in `events/<sys>/<name>/format` and of the ring-buffer
 * page in `events/header_page`. These are parsed here; nothing about a kernel's layout is assumed beyond
 * what these files say.
 */

export interface FormatField {
  readonly name: string;
  /** The declared C type as written ("char prev_comm[16]" gives "char", "__data_loc char[] filename" gives "__data_loc char[]"). */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly signed: boolean;
  /** Element count for fixed arrays ("char comm[16]": 16); 0 for scalars. */
  readonly arrayLength: number;
  /** "__data_loc": a u32 whose low 16 bits are the offset of the data in the record, high 16 its length. "__rel_loc": the offset counts from the end of the field. */
  readonly dynamic: 'data_loc' | 'rel_loc' | null;
  /** char arrays and dynamic char[] are strings (NUL-terminated, at most the array's size). */
  readonly isString: boolean;
}

export interface EventFormat {
  readonly name: string;
  readonly id: number;
  /** The subsystem directory (sched, irq, ...) when known: trace.dat stores it beside the format text. */
  readonly system: string | null;
  /** The common_* fields every event starts with. */
  readonly common: readonly FormatField[];
  readonly fields: readonly FormatField[];
  readonly printFmt: string;
}

export class FormatParseError extends Error {
  constructor(
    readonly what: string,
    message: string,
  ) {
    super(message);
    this.name = 'FormatParseError';
  }
}

const FIELD = /^\s*field:\s*(.+?);\s*offset:\s*(\d+);\s*size:\s*(\d+);(?:\s*signed:\s*(-?\d+);)?/;

export function parseField(line: string): FormatField | null {
  const m = FIELD.exec(line);
  if (!m) return null;
  let decl = m[1]!.trim();
  let dynamic: FormatField['dynamic'] = null;
  if (decl.startsWith('__data_loc ')) dynamic = 'data_loc';
  else if (decl.startsWith('__rel_loc ')) dynamic = 'rel_loc';
  // "type name[N]" or "type name"; dynamic fields write "__data_loc char[] name".
  let arrayLength = 0;
  const arr = /\[(\d*)\]\s*$/.exec(decl);
  if (arr) {
    arrayLength = arr[1] ? Number(arr[1]) : 0;
    decl = decl.slice(0, arr.index).trim();
  }
  const cut = decl.search(/[A-Za-z_][A-Za-z0-9_]*$/);
  const name = decl.slice(cut);
  const type = decl.slice(0, cut).trim();
  const size = Number(m[3]);
  const signed = m[4] !== undefined ? m[4] === '1' : /^(int|long|short|s\d+|char|signed|pid_t)\b/.test(type) && !/unsigned/.test(type);
  const isString = (arrayLength > 0 && /\bchar$/.test(type)) || (dynamic !== null && /\bchar\[\]$/.test(type));
  return { name, type, offset: Number(m[2]), size, signed, arrayLength, dynamic, isString };
}

/** One `format` file's text; `system` when the caller knows the directory. Throws FormatParseError on text that is no format file. */
export function parseEventFormat(text: string, system: string | null = null): EventFormat {
  const name = /^name:\s*(\S+)/m.exec(text)?.[1];
  const id = /^ID:\s*(\d+)/m.exec(text)?.[1];
  if (!name || id === undefined) {
    throw new FormatParseError('format', `not an event format file (no "name:" and "ID:" lines; it starts ${JSON.stringify(text.slice(0, 60))})`);
  }
  const common: FormatField[] = [];
  const fields: FormatField[] = [];
  let printFmt = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('print fmt:')) {
      printFmt = line.slice('print fmt:'.length).trim();
      continue;
    }
    const f = parseField(line);
    if (!f) continue;
    (f.name.startsWith('common_') ? common : fields).push(f);
  }
  if (!common.some((f) => f.name === 'common_type')) {
    throw new FormatParseError(name, `event format ${name}: no common_type field, so its records cannot be told apart`);
  }
  return { name, id: Number(id), system, common, fields, printFmt };
}

/** The page layout events/header_page gives: where the page's time stamp and commit (bytes used) are, and where data starts. */
export interface HeaderPage {
  readonly timestampOffset: number;
  readonly commitOffset: number;
  /** The kernel's long: 8 on 64-bit kernels, 4 on 32-bit. The missed-events count at the end of a page is this size too. */
  readonly commitSize: number;
  readonly dataOffset: number;
  /** Bytes of data a page can hold (page size - data offset). */
  readonly dataSize: number;
}

export function parseHeaderPage(text: string): HeaderPage {
  const fields = new Map<string, FormatField>();
  for (const line of text.split('\n')) {
    const f = parseField(line);
    if (f) fields.set(f.name, f);
  }
  const ts = fields.get('timestamp');
  const commit = fields.get('commit');
  const data = fields.get('data');
  if (!ts || !commit || !data) {
    throw new FormatParseError('header_page', `events/header_page lacks the ${[!ts && 'timestamp', !commit && 'commit', !data && 'data'].filter(Boolean).join(', ')} field (it starts ${JSON.stringify(text.slice(0, 60))})`);
  }
  if (commit.size !== 4 && commit.size !== 8) throw new FormatParseError('header_page', `events/header_page: a commit field of ${commit.size} bytes (only 4 and 8 exist)`);
  return { timestampOffset: ts.offset, commitOffset: commit.offset, commitSize: commit.size, dataOffset: data.offset, dataSize: data.size };
}
