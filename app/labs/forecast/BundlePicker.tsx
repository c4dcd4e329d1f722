import { useRef } from 'react';
import { formatBytes } from '../../overview/format.ts';
import type { ForecastBundleChoice } from './forecast-datasets.ts';
import type { SeriesState } from './useForecastLab.ts';

interface Props {
  bundles: readonly ForecastBundleChoice[];
  selected: string | null;
  onSelect: (path: string) => void;
  onAddFiles: (files: File[]) => void;
  series: SeriesState;
  disabled: boolean;
}

const GROUPS: readonly { id: ForecastBundleChoice['group']; label: string }[] = [
  { id: 'forecast', label: 'Forecast recordings' },
  { id: 'demo', label: 'Demo bundles' },
  { id: 'overview', label: 'Open in the overview' },
  { id: 'file', label: 'Your files' },
];

/** One bundle per experiment: the lab's recordings, the demos, or a .tlab the user adds. */
export function BundlePicker({ bundles, selected, onSelect, onAddFiles, series, disabled }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const chosen = bundles.find((b) => b.path === selected);
  const families = series.status === 'ready' ? countFamilies(series.listing.series) : null;
  return (
    <section className="card" data-testid="forecast-datasets">
      <header className="card-header">
        <div>
          <h3>Bundle</h3>
          <p className="muted small">
            A bundle with a <code>samples</code> table (syscalls, PSI and counters add inputs), or an imported time series: a CSV, a Prometheus export, a PSI log. Drop it on the page to add it.
          </p>
        </div>
        <button type="button" className="small" onClick={() => input.current?.click()} disabled={disabled} data-testid="forecast-add-file">
          Add bundle…
        </button>
        <input
          ref={input}
          type="file"
          hidden
          data-testid="forecast-file-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            if (files.length) onAddFiles(files);
            e.target.value = '';
          }}
        />
      </header>
      <div className="fc-fields">
        <label className="fc-field">
          <span>bundle</span>
          <select value={selected ?? ''} disabled={disabled || bundles.length === 0} onChange={(e) => onSelect(e.target.value)} data-testid="forecast-bundle">
            {GROUPS.map((g) => {
              const items = bundles.filter((b) => b.group === g.id);
              return items.length ? (
                <optgroup key={g.id} label={g.label}>
                  {items.map((b) => (
                    <option key={b.path} value={b.path}>
                      {b.title}
                      {b.bytes ? ` (${formatBytes(b.bytes)})` : ''}
                    </option>
                  ))}
                </optgroup>
              ) : null;
            })}
          </select>
        </label>
      </div>
      {chosen ? (
        <p className="muted small" data-testid="forecast-bundle-path">
          <code>{chosen.path}</code>
          {chosen.durationS ? ` · ${chosen.durationS.toFixed(0)} s recorded` : ''}
        </p>
      ) : null}
      <p className="small" data-testid="forecast-series-status" data-status={series.status}>
        {series.status === 'loading' ? 'Reading the bundle…' : null}
        {series.status === 'failed' ? <span className="error-text">{series.message}</span> : null}
        {series.status === 'ready' && families ? (
          <>
            <strong>{series.listing.intervals}</strong> intervals of {series.listing.intervalS.toFixed(2)} s ·{' '}
            {Object.entries(families)
              .map(([f, n]) => `${n} ${f}`)
              .join(', ')}{' '}
            series
          </>
        ) : null}
      </p>
    </section>
  );
}

function countFamilies(series: readonly { family: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of series) out[s.family] = (out[s.family] ?? 0) + 1;
  return out;
}
