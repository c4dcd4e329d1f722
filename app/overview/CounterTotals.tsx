import type { CounterTotal } from '../../core/overview/types.ts';

const fmt = (v: number) => (Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : Number(v.toPrecision(6)).toLocaleString('en-US'));

/**
 * Counter values with no time axis — perf stat totals, a PerfSpect summary's statistics — as a table: one row per
 * event, one column per scope (avg, p95, min, max, or CPU/cgroup), in the order the file gave them.
 */
export function CounterTotalsCard({ totals }: { totals: readonly CounterTotal[] }) {
  const scopes = [...new Set(totals.map((t) => t.scope))];
  // Many scopes (per-CPU totals) would make a table too wide to read: then one row per value instead.
  const pivot = scopes.length <= 6;
  const rows = new Map<string, { event: string; unit: string; values: Map<string, number> }>();
  for (const t of totals) {
    const key = `${t.event}\u0000${t.unit}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { event: t.event, unit: t.unit, values: new Map() }));
    r.values.set(t.scope, t.value);
  }
  return (
    <section className="card counter-totals" data-testid="counter-totals">
      <h3>Counter values over the whole run</h3>
      <p className="muted small">
        {totals.length.toLocaleString('en-US')} values of {rows.size.toLocaleString('en-US')} events with no time axis (totals or statistics over the run), so they are listed rather
        than charted.
      </p>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th>event</th>
              <th>unit</th>
              {pivot ? scopes.map((s) => <th key={s} className="num">{s || '—'}</th>) : (
                <>
                  <th>scope</th>
                  <th className="num">value</th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {pivot
              ? [...rows.values()].map((r) => (
                  <tr key={`${r.event} ${r.unit}`}>
                    <td>{r.event}</td>
                    <td className="muted">{r.unit}</td>
                    {scopes.map((s) => (
                      <td key={s} className="num">
                        {r.values.has(s) ? fmt(r.values.get(s)!) : ''}
                      </td>
                    ))}
                  </tr>
                ))
              : totals.map((t, i) => (
                  <tr key={i}>
                    <td>{t.event}</td>
                    <td className="muted">{t.unit}</td>
                    <td>{t.scope}</td>
                    <td className="num">{fmt(t.value)}</td>
                  </tr>
                ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
