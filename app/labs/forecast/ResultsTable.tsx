import { useMemo, useState } from 'react';
import type { ForecastRow } from '../../../core/forecast/types.ts';
import { isBaseline, rowKey } from './forecast-results.ts';
import { modelLabel } from './spec-form.ts';

type Column = 'model' | 'inputs' | 'horizon' | 'history' | 'n' | 'rmse' | 'mae' | 'valRmse' | 'skill';
const COLUMNS: readonly { id: Column; label: string; num: boolean; title?: string }[] = [
  { id: 'model', label: 'model', num: false },
  { id: 'inputs', label: 'inputs', num: false },
  { id: 'horizon', label: 'h', num: true, title: 'Horizon: intervals ahead' },
  { id: 'history', label: 'k', num: true, title: 'History: intervals of input' },
  { id: 'n', label: 'test n', num: true },
  { id: 'rmse', label: 'test RMSE', num: true },
  { id: 'mae', label: 'test MAE', num: true },
  { id: 'valRmse', label: 'val RMSE', num: true, title: 'What model selection and early stopping may look at' },
  { id: 'skill', label: 'skill', num: true, title: '1 − RMSE / RMSE of persistence at the same horizon (positive: better than the last value)' },
];

const fmt = (v: number | undefined, digits = 4) => (v === undefined || !Number.isFinite(v) ? '–' : Number(v.toPrecision(digits)).toString());
const attr = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));

/** Every cell of the error map as a row; click a header to sort (again to reverse). */
export function ResultsTable({ rows, unit }: { rows: readonly ForecastRow[]; unit: string }) {
  const [sort, setSort] = useState<{ col: Column | null; desc: boolean }>({ col: null, desc: false });
  const sorted = useMemo(() => {
    if (!sort.col) return rows;
    const c = sort.col;
    const value = (r: ForecastRow) => (c === 'model' ? modelLabel(r.model) : r[c]);
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      let d: number;
      if (typeof x === 'string' || typeof y === 'string') d = String(x).localeCompare(String(y));
      else {
        // Missing numbers (skill without persistence) sort last either way.
        const fx = Number.isFinite(x) ? (x as number) : null;
        const fy = Number.isFinite(y) ? (y as number) : null;
        if (fx === null || fy === null) return fx === fy ? 0 : fx === null ? 1 : -1;
        d = fx - fy;
      }
      return sort.desc ? -d : d;
    });
  }, [rows, sort]);
  return (
    <section className="card" data-testid="forecast-results">
      <h3>Every cell</h3>
      <p className="muted small">
        {rows.length} rows; errors in {unit || "the target's own unit"}. Persistence and moving average read only the target&apos;s history, so they appear once (under the first input set).
      </p>
      <div className="fc-table-scroll">
        <table className="data fc-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.id} className={c.num ? 'num' : undefined} title={c.title} aria-sort={sort.col === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" onClick={() => setSort((s) => ({ col: c.id, desc: s.col === c.id ? !s.desc : false }))} data-testid={`forecast-sort-${c.id}`}>
                    {c.label}
                    {sort.col === c.id ? (sort.desc ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr
                key={rowKey(r)}
                className={isBaseline(r.model) ? 'fc-baseline' : undefined}
                data-testid="forecast-row"
                data-model={r.model}
                data-inputs={r.inputs}
                data-horizon={r.horizon}
                data-history={r.history}
                data-rmse={attr(r.rmse)}
                data-mae={attr(r.mae)}
                data-val-rmse={attr(r.valRmse)}
                data-skill={attr(r.skill)}
                data-n={r.n}
              >
                <td>{modelLabel(r.model)}</td>
                <td>{r.inputs}</td>
                <td className="num">{r.horizon}</td>
                <td className="num">{r.history}</td>
                <td className="num">{r.n}</td>
                <td className="num">{fmt(r.rmse)}</td>
                <td className="num">{fmt(r.mae)}</td>
                <td className="num">{fmt(r.valRmse)}</td>
                <td className={`num ${r.skill === undefined ? '' : r.skill > 0 ? 'fc-skill-pos' : r.skill < 0 ? 'fc-skill-neg' : ''}`}>{r.skill === undefined ? '–' : `${(r.skill * 100).toFixed(1)}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
