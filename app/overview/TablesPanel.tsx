import { useState } from 'react';
import type { TableName } from '../../core/bundle/tables.ts';
import { TABLE_SPECS } from '../../core/bundle/tables.ts';
import type { TableFilter, TablePage } from '../../core/overview/table-page.ts';
import { formatCount } from './format.ts';
import { TableView } from './TableView.tsx';

interface Props {
  tables: readonly { name: TableName; rows: number }[];
  bundleName: string;
  csv: (table: TableName) => Promise<Blob>;
  perfettoTrace: () => Promise<Blob>;
  /** A page of a table's rows, from the loader worker's decoded columns. */
  page: (table: TableName, offset: number, limit: number, filter: TableFilter | null) => Promise<TablePage>;
}

export function TablesPanel({ tables, bundleName, csv, perfettoTrace, page }: Props) {
  const [viewing, setViewing] = useState<TableName | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const base = bundleName.replace(/\.tlab$/, '');
  // Both exports are built in the loader worker; the page only hands the blob to the browser.
  const download = async (what: string, make: () => Promise<Blob>, fileName: string) => {
    setBusy(what);
    setError(null);
    try {
      const url = URL.createObjectURL(await make());
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(`Export of ${what} failed: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card" data-testid="tables-panel">
      <header className="card-header">
        <h3>Tables and exports</h3>
        <button
          type="button"
          className="ghost small"
          data-testid="export-perfetto"
          disabled={busy !== null}
          title="A Chrome JSON trace that ui.perfetto.dev opens: a track per CPU with a slice per task run, syscalls on their threads, usage/PSI/counters as counter tracks"
          onClick={() => void download('the Perfetto trace', perfettoTrace, `${base}.perfetto.json`)}
        >
          {busy === 'the Perfetto trace' ? '…' : 'Perfetto trace'}
        </button>
      </header>
      <table className="data tables-list">
        <thead>
          <tr>
            <th>table</th>
            <th className="num">rows</th>
            <th>what it holds</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {tables.map((t) => (
            <tr key={t.name} data-testid={`table-row-${t.name}`}>
              <td>
                <code>{t.name}</code>
              </td>
              <td className="num" data-testid={`rows-${t.name}`}>
                {formatCount(t.rows)}
              </td>
              <td className="small muted">{TABLE_SPECS[t.name].doc}</td>
              <td>
                <button
                  type="button"
                  className="ghost small"
                  data-testid={`view-${t.name}`}
                  aria-pressed={viewing === t.name}
                  aria-label={`Rows of the ${t.name} table`}
                  onClick={() => setViewing(viewing === t.name ? null : t.name)}
                >
                  rows
                </button>{' '}
                <button
                  type="button"
                  className="ghost small"
                  disabled={busy !== null}
                  aria-label={`CSV of the ${t.name} table`}
                  onClick={() => void download(t.name, () => csv(t.name), `${base}-${t.name}.csv`)}
                >
                  {busy === t.name ? '…' : 'CSV'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error ? <p className="error-text">{error}</p> : null}
      {viewing && tables.some((t) => t.name === viewing) ? (
        <TableView table={viewing} version={tables.map((t) => `${t.name}:${t.rows}`).join(',')} page={page} onClose={() => setViewing(null)} />
      ) : null}
    </section>
  );
}
