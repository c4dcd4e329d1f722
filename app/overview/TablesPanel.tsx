import { useState } from 'react';
import type { TableName } from '../../core/bundle/tables.ts';
import { TABLE_SPECS } from '../../core/bundle/tables.ts';
import { formatCount } from './format.ts';

interface Props {
  tables: readonly { name: TableName; rows: number }[];
  bundleName: string;
  csv: (table: TableName) => Promise<Blob>;
}

export function TablesPanel({ tables, bundleName, csv }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (name: TableName) => {
    setBusy(name);
    setError(null);
    try {
      const blob = await csv(name);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${bundleName.replace(/\.tlab$/, '')}-${name}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(`CSV export of ${name} failed: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="card" data-testid="tables-panel">
      <header className="card-header">
        <h3>Tables</h3>
      </header>
      <table className="data">
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
                <button type="button" className="ghost small" disabled={busy !== null} onClick={() => void download(t.name)}>
                  {busy === t.name ? '…' : 'CSV'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {error ? <p className="error-text">{error}</p> : null}
    </section>
  );
}
