import type { Bundle } from './reader.ts';
import type { Manifest } from './manifest.ts';
import { dictColumn } from './columns.ts';
import type { TableName } from './tables.ts';

/** What `tlab inspect --json` prints: enough for a script or a test to check a bundle without the app. */
export interface BundleSummary {
  manifest: Manifest;
  sources: Record<string, { status: string; reason: string | null }>;
  tables: Partial<Record<TableName, { rows: number }>>;
  syscallsByName: Record<string, number>;
  schedByEvent: Record<string, number>;
  warnings: string[];
}

function countBy(codes: Int32Array, values: readonly string[], keep?: (i: number) => boolean): Record<string, number> {
  const counts = new Float64Array(values.length);
  for (let i = 0; i < codes.length; i++) if (codes[i]! >= 0 && (!keep || keep(i))) counts[codes[i]!]!++;
  const out: Record<string, number> = {};
  values
    .map((v, c) => [v, counts[c]!] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .forEach(([v, n]) => (out[v] = n));
  return out;
}

export function summarizeBundle(bundle: Bundle): BundleSummary {
  const sources: BundleSummary['sources'] = {};
  for (const [name, s] of Object.entries(bundle.manifest.sources)) {
    if (s) sources[name] = { status: s.status, reason: 'reason' in s ? s.reason : null };
  }
  const tables: BundleSummary['tables'] = {};
  for (const [name, t] of Object.entries(bundle.tables) as [TableName, { numRows: number }][]) tables[name] = { rows: t.numRows };
  let syscallsByName: Record<string, number> = {};
  const sys = bundle.tables.syscalls;
  if (sys) {
    const kind = dictColumn(sys, 'kind');
    const name = dictColumn(sys, 'name');
    const call = kind.values.indexOf('syscall');
    syscallsByName = countBy(name.codes, name.values, (i) => kind.codes[i] === call);
  }
  let schedByEvent: Record<string, number> = {};
  if (bundle.tables.sched) {
    const ev = dictColumn(bundle.tables.sched, 'event');
    schedByEvent = countBy(ev.codes, ev.values);
  }
  return { manifest: bundle.manifest, sources, tables, syscallsByName, schedByEvent, warnings: [...bundle.warnings] };
}
