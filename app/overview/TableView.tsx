import { useEffect, useState } from 'react';
import type { TableName } from '../../core/bundle/tables.ts';
import type { TableFilter, TablePage } from '../../core/overview/table-page.ts';
import { testHooks } from '../testing/test-hooks.ts';
import { formatCount } from './format.ts';
import { Pager } from './Pager.tsx';

export const PAGE_ROWS = 50;

interface Props {
  table: TableName;
  /** Changes when the bundle does (a partial bundle replaced by the whole one): the page is asked again. */
  version: string;
  page: (table: TableName, offset: number, limit: number, filter: TableFilter | null) => Promise<TablePage>;
  onClose: () => void;
}

/**
 * A table's rows, a page at a time, asked of the loader worker (which holds the decoded columns): a page is
 * 50 rows whatever the table's size, so messaging.tlab's 663,840 sched rows page as fast as ten.
 */
export function TableView({ table, version, page, onClose }: Props) {
  const [offset, setOffset] = useState(0);
  const [filter, setFilter] = useState<TableFilter | null>(null);
  const [draft, setDraft] = useState<{ column: string; text: string }>({ column: '', text: '' });
  const [shown, setShown] = useState<TablePage | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    testHooks.beginWork();
    page(table, offset, PAGE_ROWS, filter)
      .then((p) => {
        if (!live) return;
        setShown(p);
        setError(null);
        setDraft((d) => (d.column ? d : { ...d, column: p.columns[0] ?? '' }));
      })
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => testHooks.endWork());
    return () => {
      live = false;
    };
  }, [table, version, offset, filter, page]);

  const matched = shown?.matchedRows ?? 0;
  const first = shown && shown.rows.length > 0 ? shown.offset + 1 : 0;
  const last = shown ? shown.offset + shown.rows.length : 0;
  return (
    <div className="table-view" data-testid="table-view" data-table={table}>
      <div className="table-view-bar">
        <strong>
          <code>{table}</code>
        </strong>
        <span className="small" data-testid="table-view-range">
          {shown ? `rows ${formatCount(first)}–${formatCount(last)} of ${formatCount(matched)}${filter ? ` matching (${formatCount(shown.totalRows)} in all)` : ''}` : '…'}
        </span>
        <Pager id="table-view" offset={shown ? shown.offset : null} shownRows={shown?.rows.length ?? 0} total={matched} pageRows={PAGE_ROWS} onOffset={setOffset} />
        <form
          className="table-view-form"
          onSubmit={(e) => {
            e.preventDefault();
            setOffset(0);
            setFilter(draft.text.trim() && draft.column ? { column: draft.column, text: draft.text.trim() } : null);
          }}
        >
          <select aria-label="Filter column" data-testid="table-view-filter-column" value={draft.column} onChange={(e) => setDraft({ ...draft, column: e.target.value })}>
            {(shown?.columns ?? []).map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
          <input aria-label="Filter text" data-testid="table-view-filter" placeholder="contains…" size={10} value={draft.text} onChange={(e) => setDraft({ ...draft, text: e.target.value })} />
          <button type="submit" className="ghost small">filter</button>
        </form>
        <button type="button" className="ghost small" onClick={onClose} aria-label="Close the table view">
          ✕
        </button>
      </div>
      {error ? <p className="error-text">{error}</p> : null}
      {shown ? (
        <div className="table-scroll table-view-scroll">
          <table className="data table-view-rows">
            <thead>
              <tr>
                <th className="num">#</th>
                {shown.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.rows.map((r, k) => (
                <tr key={shown.rowIndex[k]}>
                  <td className="num muted">{formatCount(shown.rowIndex[k]! + 1)}</td>
                  {r.map((v, j) => (
                    <td key={j} className={v === null ? 'null-cell' : undefined}>
                      {v ?? 'null'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
