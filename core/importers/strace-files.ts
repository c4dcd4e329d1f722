import { dictColumn, numberColumn, stringColumn } from '../bundle/columns.ts';
import type { Bundle } from '../bundle/reader.ts';
import type { ByteSource } from '../bundle/source.ts';
import { TableBuilder, type Row } from '../bundle/table-builder.ts';
import { TABLE_SPECS } from '../bundle/tables.ts';
import { bundleFromParsed, type CaptureReport } from './capture-to-bundle.ts';
import { chunksOf } from '../bundle/source.ts';
import { ByteLineSplitter, MAX_LINE_BYTES } from './byte-lines.ts';
import { ExecHandoffs, StraceParser, straceParsed, type StraceResult } from './strace.ts';

/**
 * `strace -ff -o trace` writes one file per task (trace.PID). Each is parsed with its PID, all sharing one map of
 * CLONE_THREAD parents (the clone is in the creator's file, the thread's calls in its own), then the rows are
 * merged in time order on a common clock: the earliest first timestamp of all files is time 0.
 */
export async function importStraceFiles(
  files: readonly { name: string; source: ByteSource }[],
  producer?: { name: string; version: string },
): Promise<{ bundle: Bundle; report: CaptureReport }> {
  const threadParents = new Map<number, number>();
  const execHandoffs = new ExecHandoffs();
  const parsers: StraceParser[] = [];
  const notes: string[] = [];
  for (const f of files) {
    const pid = /\.(\d+)$/.exec(f.name)?.[1];
    const parser = new StraceParser({ threadParents, execHandoffs, ...(pid ? { defaultPid: Number(pid) } : {}) });
    // Lines go in as bytes (the parser's fast path, as for one file); one over MAX_LINE_BYTES is never held whole.
    let overlong = 0;
    const lines = new ByteLineSplitter({
      line: (b, start, end) => parser.pushLineBytes(b, start, end),
      overlong: () => {
        overlong++;
        parser.pushLine('');
      },
    });
    for await (const chunk of chunksOf(f.source)) lines.push(chunk);
    lines.end();
    if (overlong) notes.push(`${f.name}: ${overlong} line(s) longer than ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes were skipped unread (strace never writes such lines: the file is damaged).`);
    parsers.push(parser);
  }
  // Threads are resolved at finish(), so every file must be in before any is finished.
  const results = parsers.map((p) => p.finish());
  const styles = new Set(results.map((r) => r.timestampStyle));
  if (styles.size > 1) notes.push(`The files use different timestamp styles (${[...styles].join(', ')}); they are merged as if on one clock.`);
  if (styles.has('r')) notes.push('strace -r times are relative to each file\'s own first line, so the files cannot be aligned in time.');

  const shift = shifts(results);
  const columns = TABLE_SPECS.syscalls.columns;
  const cols = results.map((r) =>
    columns.map((c) =>
      c.kind === 'dict' ? dictColumn(r.table, c.name) : c.kind === 'utf8' ? stringColumn(r.table, c.name) : numberColumn(r.table, c.name),
    ),
  );
  const order: [number, number, number][] = [];
  results.forEach((r, f) => {
    const ts = numberColumn(r.table, 'ts_ns');
    for (let i = 0; i < r.table.numRows; i++) order.push([ts[i]! + shift[f]!, f, i]);
  });
  order.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const builder = new TableBuilder('syscalls');
  for (const [t, f, i] of order) {
    const row: Row = {};
    columns.forEach((c, k) => {
      const col = cols[f]![k]!;
      if (c.name === 'ts_ns') row[c.name] = t;
      else if (col instanceof Float64Array) row[c.name] = Number.isNaN(col[i]!) ? null : col[i]!;
      else if (Array.isArray(col)) row[c.name] = col[i];
      else {
        const d = col as { codes: Int32Array; values: string[] };
        row[c.name] = d.codes[i]! < 0 ? null : d.values[d.codes[i]!]!;
      }
    });
    builder.push(row);
  }

  const earliest = results.map((r) => r.firstTimestamp).filter((x) => x !== null).sort((a, b) => a.sec - b.sec || a.nsec - b.nsec)[0] ?? null;
  const merged: StraceResult = {
    table: builder.finish(),
    problems: results.flatMap((r, f) => r.problems.map((p) => ({ ...p, text: `${files[f]!.name}: ${p.text}` }))),
    problemCount: results.reduce((n, r) => n + r.problemCount, 0),
    lines: results.reduce((n, r) => n + r.lines, 0),
    firstTimestamp: earliest,
    timestampStyle: results[0]?.timestampStyle ?? 'none',
    hasDurations: results.some((r) => r.hasDurations),
    unfinished: results.reduce((n, r) => n + r.unfinished, 0),
    impossibleTimes: results.reduce((n, r) => n + r.impossibleTimes, 0),
    midnightRollovers: results.reduce((n, r) => n + r.midnightRollovers, 0),
  };
  const label = `${files.length} strace -ff files (${files.map((f) => f.name).join(', ')})`;
  const parsed = straceParsed(merged, label);
  parsed.notes.push(...notes);
  return bundleFromParsed(label, 'strace', parsed, producer);
}

/** Per file, the ns to add so that all files share the earliest first timestamp as 0. */
function shifts(results: readonly StraceResult[]): number[] {
  const firsts = results.map((r) => r.firstTimestamp);
  const known = firsts.filter((x): x is { sec: number; nsec: number } => x !== null);
  if (!known.length || results.some((r) => r.timestampStyle === 'r' || r.timestampStyle === 'none')) return results.map(() => 0);
  const min = known.reduce((a, b) => (b.sec < a.sec || (b.sec === a.sec && b.nsec < a.nsec) ? b : a));
  return firsts.map((f) => (f ? (f.sec - min.sec) * 1e9 + (f.nsec - min.nsec) : 0));
}
