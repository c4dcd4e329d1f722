import type { SchedResultRow, SchedResults } from '../../../core/sched-lab/experiment.ts';
import { attr, pct } from './format.ts';
import { workloadRoles } from './sched-export.ts';

/** Top-1 per workload (overall / excluding idle), one column per baseline and model: where each one wins. */
export function WorkloadTable({ rows, traces }: { rows: readonly SchedResultRow[]; traces: SchedResults['data']['traces'] }) {
  const roles = workloadRoles(traces);
  const workloads = [...new Set(rows.flatMap((r) => Object.keys(r.scores.byWorkload)))].sort();
  return (
    <details className="card" data-testid="sched-workloads">
      <summary>
        <strong>Per workload</strong> <span className="muted small">top-1 / top-1 excluding idle</span>
      </summary>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th>workload</th>
              <th>role</th>
              <th className="num">positions</th>
              {rows.map((r) => (
                <th key={r.name} className="num">
                  {r.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {workloads.map((w) => (
              <tr key={w} data-testid={`sched-workload-row-${w}`}>
                <td>{w}</td>
                <td>{roles.get(w)?.replace('test-', '') ?? '–'}</td>
                <td className="num">{rows[0]?.scores.byWorkload[w]?.n.toLocaleString('en-US') ?? '–'}</td>
                {rows.map((r) => {
                  const s = r.scores.byWorkload[w];
                  return (
                    <td key={r.name} className="num" data-top1={attr(s?.top1)}>
                      {pct(s?.top1)} <span className="muted">/ {pct(s?.top1ExclIdle)}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
