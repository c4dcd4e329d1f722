import type { SchedResults } from '../../../core/sched-lab/experiment.ts';
import type { ScoreSet, TraceRole } from '../../../core/sched-lab/types.ts';
import { csvCell } from '../../../core/overview/csv.ts';

/** The test role of each workload (a workload's test traces are all seen or all unseen: the spec enforces it). */
export function workloadRoles(traces: SchedResults['data']['traces']): Map<string, TraceRole> {
  const out = new Map<string, TraceRole>();
  for (const t of traces) if (t.role !== 'train') out.set(t.workload, t.role);
  return out;
}

const COLUMNS = ['name', 'kind', 'role', 'workload', 'positions', 'top1', 'topk', 'positions_excl_idle', 'top1_excl_idle', 'topk_excl_idle', 'unknown_share', 'positions_known', 'top1_known', 'topk_known'] as const;


/**
 * One line per model (and baseline) × role × workload, plus an "(all)" line per role: the numbers of the tables,
 * unrounded; the last column, top_k, says which k the top-k columns mean.
 */
export function resultsCsv(r: SchedResults): string {
  const roles = workloadRoles(r.data.traces);
  const lines: string[] = [[...COLUMNS, 'top_k'].join(',')];
  const line = (name: string, kind: string, role: string, workload: string, s: ScoreSet) =>
    lines.push(
      [name, kind, role, workload, s.n, s.top1, s.topk, s.nExclIdle, s.top1ExclIdle, s.topkExclIdle, s.unknownShare, s.nKnown, s.top1Known, s.topkKnown, r.spec.topK].map(csvCell).join(','),
    );
  for (const row of r.rows) {
    for (const [role, s] of Object.entries(row.scores.byRole)) if (s) line(row.name, row.kind, role, '(all)', s);
    for (const [w, s] of Object.entries(row.scores.byWorkload)) line(row.name, row.kind, roles.get(w) ?? '', w, s);
  }
  return `${lines.join('\n')}\n`;
}

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const jsonBlob = (v: unknown) => new Blob([`${JSON.stringify(v, null, 1)}\n`], { type: 'application/json' });
