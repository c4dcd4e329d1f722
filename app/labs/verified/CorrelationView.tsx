import { useMemo } from 'react';
import type { MetricFamily } from '../../../core/verified-lab/dataset.ts';
import type { VerifiedListing } from '../../../workers/verified-lab/protocol.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Theme } from '../../theme.ts';
import { correlationHeatmapOption, correlationOption } from './chart-options.ts';
import { fmt, pct } from './format.ts';

interface Props {
  listing: VerifiedListing;
  service: string;
  targetLabel: string;
  inputs: readonly string[];
  onToggle: (id: string, on: boolean) => void;
  onDefaults: () => void;
  onClear: () => void;
  theme: Theme;
  disabled: boolean;
}

const FAMILIES: readonly { id: MetricFamily; label: string }[] = [
  { id: 'psi', label: 'pressure (PSI)' },
  { id: 'usage', label: 'usage' },
  { id: 'counters', label: 'perf counters' },
  { id: 'config', label: 'configuration' },
];

/**
 * vPALs Figure 2: how each metric moves with the service's latency (Pearson for linear, Spearman for any monotone
 * relation), over all the service's intervals; tick metrics here to make them the model's inputs.
 */
export function CorrelationView({ listing, service, targetLabel, inputs, onToggle, onDefaults, onClear, theme, disabled }: Props) {
  const rows = useMemo(() => listing.correlations.filter((c) => c.service === service), [listing, service]);
  const option = useMemo(() => correlationOption(rows, listing.metrics), [rows, listing]);
  const services = useMemo(() => listing.services.map((s) => s.name), [listing]);
  const heatmap = useMemo(() => (services.length > 1 ? correlationHeatmapOption(listing.correlations, listing.metrics, services, theme === 'dark') : null), [listing, services, theme]);
  const byMetric = new Map(rows.map((c) => [c.metric, c]));
  const height = Math.max(240, rows.length * 20 + 80);
  return (
    <section className="vl-correlations" data-testid="verified-correlations">
      <div className="grid">
        <ChartCard
          id="verified-correlations"
          title={`Correlation with ${targetLabel}: ${service || 'no service'}`}
          subtitle="vPALs Figure 2: Pearson (linear) and Spearman (any monotone relation) over the service's intervals; dashed red at 0.5, blue at 0"
          option={option}
          theme={theme}
          height={height}
        />
        {heatmap ? (
          <ChartCard
            id="verified-correlations-services"
            title="Pearson per service"
            subtitle="The same metrics against each service's latency"
            option={heatmap}
            theme={theme}
            height={Math.max(240, listing.metrics.length * 18 + 100)}
          />
        ) : null}
      </div>
      <section className="card" data-testid="verified-inputs">
        <header className="card-header">
          <div>
            <h3>Inputs</h3>
            <p className="muted small">
              Tick the metrics the network reads ({inputs.length} chosen). vPALs used CPU pressure, IO pressure (some and full), disk and CPU time plus the
              workload&apos;s configuration. Values are each interval&apos;s overlap-weighted mean; coverage is the share of intervals where the metric was read.
            </p>
          </div>
          <div className="vl-buttons">
            <button type="button" className="small" onClick={onDefaults} disabled={disabled} data-testid="verified-inputs-defaults">
              vPALs inputs
            </button>
            <button type="button" className="small" onClick={onClear} disabled={disabled} data-testid="verified-inputs-clear" aria-label="Untick every input">
              Clear
            </button>
          </div>
        </header>
        <div className="table-scroll vl-table-scroll">
          <table className="data vl-table small">
            <thead>
              <tr>
                <th scope="col">input</th>
                <th scope="col">metric</th>
                <th scope="col" className="num">
                  Pearson
                </th>
                <th scope="col" className="num">
                  Spearman
                </th>
                <th scope="col" className="num">
                  rows
                </th>
                <th scope="col" className="num">
                  coverage
                </th>
                <th scope="col">range (all rows)</th>
              </tr>
            </thead>
            {FAMILIES.map((f) => {
              const ms = listing.metrics.filter((m) => m.family === f.id);
              return ms.length ? (
                <tbody key={f.id}>
                  <tr className="vl-group">
                    <th colSpan={7} scope="rowgroup">
                      {f.label}
                    </th>
                  </tr>
                  {ms.map((m) => {
                    const c = byMetric.get(m.id);
                    return (
                      <tr key={m.id} data-testid="verified-metric-row" data-metric={m.id} data-pearson={c?.pearson ?? ''} data-spearman={c?.spearman ?? ''}>
                        <td>
                          <input type="checkbox" checked={inputs.includes(m.id)} disabled={disabled} onChange={(e) => onToggle(m.id, e.target.checked)} aria-label={`Use ${m.name} as an input`} data-testid={`verified-input-${m.id}`} />
                        </td>
                        <td>
                          {m.name} <span className="muted">({m.unit})</span>
                          <br />
                          <code className="muted">{m.id}</code>
                        </td>
                        <td className="num">{fmt(c?.pearson)}</td>
                        <td className="num">{fmt(c?.spearman)}</td>
                        <td className="num">{c?.n ?? '–'}</td>
                        <td className="num">{pct(m.coverage, 0)}</td>
                        <td className="vl-nowrap">
                          {fmt(m.min)} … {fmt(m.max)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              ) : null;
            })}
          </table>
        </div>
      </section>
    </section>
  );
}
