import type { SchedResultRow } from '../../../core/sched-lab/experiment.ts';
import type { ScoreSet, TraceRole } from '../../../core/sched-lab/types.ts';
import { attr, pct } from './format.ts';

const ROLES: readonly { role: TraceRole; label: string; key: string }[] = [
  { role: 'test-seen', label: 'seen workloads', key: 'seen' },
  { role: 'test-unseen', label: 'unseen workloads', key: 'unseen' },
];

function ScoreCells({ s }: { s: ScoreSet | undefined }) {
  return (
    <>
      <td className="num sched-group-start">{pct(s?.top1)}</td>
      <td className="num">{pct(s?.topk)}</td>
      <td className="num">{pct(s?.top1ExclIdle)}</td>
      <td className="num">{pct(s?.topkExclIdle)}</td>
      <td className="num muted">{pct(s?.unknownShare)}</td>
      <td className="num">{pct(s?.top1Known)}</td>
    </>
  );
}

/** Numbers on the row for tests and replays: what the cells show, unrounded. */
function rowData(row: SchedResultRow): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { role, key } of ROLES) {
    const s = row.scores.byRole[role];
    out[`data-${key}-top1`] = attr(s?.top1);
    out[`data-${key}-topk`] = attr(s?.topk);
    out[`data-${key}-top1-excl-idle`] = attr(s?.top1ExclIdle);
    out[`data-${key}-n`] = attr(s?.n);
    out[`data-${key}-top1-known`] = attr(s?.top1Known);
  }
  return out;
}

interface Props {
  rows: readonly SchedResultRow[];
  topK: number;
  selected: string | null;
  onSelect: (name: string) => void;
}

/** One row per baseline and model, scored on the same test positions; rows appear as they are scored. */
export function ResultsTable({ rows, topK, selected, onSelect }: Props) {
  const best = Math.max(...rows.map((r) => r.scores.byRole['test-seen']?.top1 ?? Number.NaN).filter(Number.isFinite));
  return (
    <section className="card sched-results" data-testid="sched-results">
      <h3>Accuracy</h3>
      <p className="muted small">
        ¬idle leaves out the switches to idle; <em>unknown</em> is the share of positions whose next task class never appeared in training (its own class, never merged
        with idle); <em>top-1 known</em> scores only the other positions, since predicting &quot;an unknown task again&quot; is right but says little. Pick a row to
        see its confusion matrix.
      </p>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th rowSpan={2}>baseline / model</th>
              {ROLES.map((r) => (
                <th key={r.role} colSpan={6} className="sched-group-start">
                  {r.label}
                </th>
              ))}
            </tr>
            <tr>
              {ROLES.map((r) => (
                <Headers key={r.role} topK={topK} />
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={row.name}
                className={`sched-row sched-row-${row.kind}${selected === row.name ? ' sched-row-selected' : ''}`}
                data-testid={`sched-row-${row.name}`}
                data-kind={row.kind}
                {...rowData(row)}
                onClick={() => onSelect(row.name)}
              >
                <td title={row.description}>
                  <label>
                    <input type="radio" name="sched-row" checked={selected === row.name} onChange={() => onSelect(row.name)} />{' '}
                    <strong className={row.scores.byRole['test-seen']?.top1 === best ? 'sched-best' : undefined}>{row.name}</strong>{' '}
                    <span className="muted small">{row.kind}</span>
                  </label>
                </td>
                {ROLES.map((r) => (
                  <ScoreCells key={r.role} s={row.scores.byRole[r.role]} />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Headers({ topK }: { topK: number }) {
  return (
    <>
      <th className="num sched-group-start">top-1</th>
      <th className="num">top-{topK}</th>
      <th className="num">top-1 ¬idle</th>
      <th className="num">top-{topK} ¬idle</th>
      <th className="num">unknown</th>
      <th className="num">top-1 known</th>
    </>
  );
}
