import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { openSource } from '../../importers/open-source.ts';
import { rowsOf } from '../../importers/testing/parse-helpers.ts';
import { parseEventFormat } from '../format-file.ts';
import { prevStateFlags } from '../sched-state.ts';
import { parseTraceDat } from '../trace-dat.ts';
import { reportOf } from './trace-cmd.ts';

/** Test helper: a trace.dat imported through openSource, row for row against `trace-cmd report -t` of the same file. */

const COLUMNS = ['cpu', 'event', 'common_pid', 'prev_pid', 'prev_comm', 'prev_prio', 'prev_state', 'next_pid', 'next_comm', 'next_prio', 'target_pid', 'target_comm', 'target_prio', 'target_cpu', 'orig_cpu', 'parent_pid'];

/**
 * trace-cmd report prints sched_switch's prev_state with its plugin's fixed letters "SDTtZXxW" for bits 0-7 and
 * no "+" (libtraceevent plugin_sched_switch.c), not with the kernel's own table that tracefs prints and we keep
 * (on this kernel 0x10 is X, 0x20 Z, 0x40 P, 0x80 I, 0x100 preempted). The kernel's letters are turned into
 * the plugin's through the file's own sched_switch format so the two can be compared.
 */
function asTraceCmdPlugin(letters: unknown, kernelFlags: [number, string][]): unknown {
  if (typeof letters !== 'string') return letters;
  let bits = 0;
  for (const l of letters.replace(/\+$/, '').split('|')) if (l !== 'R') bits |= kernelFlags.find(([, k]) => k === l)![0];
  const out = [...'SDTtZXxW'].filter((_, i) => bits & (1 << i));
  return out.length ? out.join('|') : 'R';
}

/** Imports `file` through openSource and checks every row against trace-cmd report's, times to the nanosecond. */
export async function sameAsReport(file: string) {
  const bytes = new Uint8Array(readFileSync(file));
  const switchFormat = parseTraceDat(bytes).formats.find((f) => /^name: sched_switch$/m.test(f.text))!;
  const kernelFlags = prevStateFlags(parseEventFormat(switchFormat.text).printFmt);
  const opened = await openSource(file.split('/').pop()!, bytes);
  if (!opened.ok) throw new Error(`not imported: ${JSON.stringify(opened.error.error)}`);
  expect(opened.imported!.format).toBe('trace-dat');
  const table = opened.bundle.tables.sched!;
  const settings = opened.bundle.manifest.sources.sched!.settings as Record<string, unknown>;
  const origin = BigInt(settings.originTraceClockNs as string);
  const report = reportOf(file);
  expect(report.problems).toEqual([]);
  const mine = rowsOf(table);
  const theirs = rowsOf(report.table);
  expect(mine.length).toBe(theirs.length);
  const first = BigInt(report.firstTimestamp!.sec) * 1_000_000_000n + BigInt(report.firstTimestamp!.nsec);
  for (let i = 0; i < mine.length; i++) {
    const m = mine[i]!;
    const t = theirs[i]!;
    const pick = (r: Record<string, unknown>) => Object.fromEntries(COLUMNS.map((c) => [c, r[c] ?? null]));
    expect({ i, ns: origin + BigInt(m.ts_ns as number), ...pick(m), prev_state: asTraceCmdPlugin(m.prev_state, kernelFlags) }).toEqual({ i, ns: first + BigInt(t.ts_ns as number), ...pick(t) });
  }
  return { opened, report, settings, rows: mine.length };
}
