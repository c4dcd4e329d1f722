import { useCallback, useEffect, useRef, useState } from 'react';
import { compareHeadlines, headline, type Headline } from '../../../core/specs/headline.ts';
import { typedArraysAsLists } from '../../../core/specs/results-json.ts';
import { download, jsonBlob } from '../sched/sched-export.ts';
import { deleteRun, listRuns, saveRun, type StoredRun } from './run-store.ts';
import './history.css';

interface Props {
  lab: string;
  /** The lab's latest finished results (saved once each, unless they were reopened from here). */
  results: unknown;
  spec: unknown;
  backend: string | null;
  /** While a run is in flight nothing is reopened. */
  disabled?: boolean;
  /** Shows a stored run's results in the lab, without training. */
  onOpen: (run: StoredRun) => void;
}

const fig = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(4));
const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });
const safeHeadline = (results: unknown): Headline | null => {
  try {
    return headline(JSON.parse(JSON.stringify(results, typedArraysAsLists)) as unknown);
  } catch {
    return null;
  }
};

/**
 * Every finished run of this lab, kept in the browser: reopen one (its results come back without training), export
 * it, delete it, or tick two to compare their figures side by side with the differences marked.
 */
export function RunHistory({ lab, results, spec, backend, disabled, onOpen }: Props) {
  const [runs, setRuns] = useState<StoredRun[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [picked, setPicked] = useState<number[]>([]);
  const seen = useRef(new WeakSet<object>());

  const refresh = useCallback(() => {
    listRuns(lab).then(setRuns, (e: Error) => setProblem(e.message));
  }, [lab]);
  useEffect(refresh, [refresh]);

  useEffect(() => {
    if (!results || typeof results !== 'object' || seen.current.has(results)) return;
    seen.current.add(results);
    saveRun({ lab, at: new Date().toISOString(), spec, results, backend }).then(refresh, (e: Error) => setProblem(`This run was not kept: ${e.message}`));
  }, [results, spec, backend, lab, refresh]);

  const open = (run: StoredRun) => {
    if (run.results && typeof run.results === 'object') seen.current.add(run.results);
    onOpen(run);
  };
  const remove = (id: number) => {
    setPicked((p) => p.filter((x) => x !== id));
    deleteRun(id).then(refresh, (e: Error) => setProblem(e.message));
  };
  const toggle = (id: number, on: boolean) => setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));

  const pair = picked.length === 2 ? picked.map((id) => runs.find((r) => r.id === id)).filter((r): r is StoredRun => r !== undefined) : [];
  return (
    <section className="card run-history" data-testid={`${lab}-history`}>
      <h3>Run history</h3>
      <p className="muted small">Every finished run is kept in this browser with its spec and results. Tick two to compare them.</p>
      {problem ? (
        <p className="error-text small" role="alert">
          {problem}
        </p>
      ) : null}
      {runs.length === 0 ? (
        <p className="muted small">No runs yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="data small">
            <thead>
              <tr>
                <th scope="col">compare</th>
                <th scope="col">finished</th>
                <th scope="col">backend</th>
                <th scope="col">seed</th>
                <th scope="col">actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid="history-row" data-id={r.id}>
                  <td>
                    <input type="checkbox" checked={picked.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} aria-label={`Compare run ${r.id}`} data-testid="history-pick" />
                  </td>
                  <td>{when(r.at)}</td>
                  <td>{String((r.results as { backend?: unknown } | null)?.backend ?? r.backend ?? '–')}</td>
                  <td>{String((r.spec as { seed?: unknown } | null)?.seed ?? '–')}</td>
                  <td className="history-actions">
                    <button type="button" className="small" disabled={disabled} onClick={() => open(r)} data-testid="history-open" aria-label={`Reopen run ${r.id} without training`}>
                      Reopen
                    </button>
                    <button type="button" className="small" onClick={() => download(jsonBlob({ lab: r.lab, at: r.at, spec: r.spec, results: r.results }), `${lab}-run-${r.id}.json`)} aria-label={`Export run ${r.id} as JSON`}>
                      Export
                    </button>
                    <button type="button" className="small" onClick={() => remove(r.id)} data-testid="history-delete" aria-label={`Delete run ${r.id}`}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pair.length === 2 ? <Comparison a={pair[0]!} b={pair[1]!} /> : null}
    </section>
  );
}

function Comparison({ a, b }: { a: StoredRun; b: StoredRun }) {
  const ha = safeHeadline(a.results);
  const hb = safeHeadline(b.results);
  if (!ha || !hb) return <p className="error-text small">These runs' results cannot be read as a table.</p>;
  const c = compareHeadlines(ha, hb, true);
  const differs = new Set(c.differences.filter((d) => d.ok === false).map((d) => `${d.key}\u0000${d.figure}`));
  const rowsB = new Map(hb.rows.map((r) => [r.key, r]));
  const keys = [...ha.rows.map((r) => r.key), ...hb.rows.filter((r) => !ha.rows.some((x) => x.key === r.key)).map((r) => r.key)];
  return (
    <div className="history-compare" data-testid="history-compare">
      <p className="small">
        Run {a.id} ({when(a.at)}) against run {b.id} ({when(b.at)}): {differs.size === 0 && c.missing.length === 0 ? 'every figure is the same.' : `${differs.size} figures differ (marked)${c.missing.length ? `; rows in one run only: ${c.missing.join(', ')}` : ''}.`}
      </p>
      <div className="table-scroll">
        <table className="data small">
          <thead>
            <tr>
              <th scope="col">row</th>
              {ha.columns.map((col) => (
                <th scope="col" key={col} className="num">
                  {col} (run {a.id} / {b.id})
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => {
              const ra = ha.rows.find((r) => r.key === k);
              const rb = rowsB.get(k);
              return (
                <tr key={k}>
                  <td>{k}</td>
                  {ha.columns.map((col) => {
                    const diff = differs.has(`${k}\u0000${col}`) || !ra || !rb;
                    return (
                      <td key={col} className={`num${diff ? ' history-diff' : ''}`} data-testid={diff ? 'history-diff' : undefined}>
                        {fig(ra?.figures[col])} / {fig(rb?.figures[col])}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
