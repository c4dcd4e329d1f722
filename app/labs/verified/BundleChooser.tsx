import { useRef, type ReactNode } from 'react';
import { formatBytes } from '../../overview/format.ts';
import type { ListingState } from './useVerifiedLab.ts';
import { VERIFIED_NEEDS, type VerifiedBundleChoice } from './verified-datasets.ts';
import { OverviewBundleOffer } from '../shell/OverviewBundleOffer.tsx';
import type { OverviewBundle } from '../shell/overview-bundle.ts';

interface Props {
  bundles: readonly VerifiedBundleChoice[];
  chosen: readonly string[];
  onToggle: (path: string, on: boolean) => void;
  onAddFiles: (files: File[]) => void;
  onRemove: (path: string) => void;
  about: string | null;
  listing: ListingState;
  disabled: boolean;
  overviewBundle: OverviewBundle | null;
  onUseOverview: (b: OverviewBundle) => void;
  /** The data settings shown under the list (service, target, transform, warm-up). */
  children?: ReactNode;
}

/** The `tlab bench` bundles the experiment learns from: the shipped recordings and any the user adds. */
export function BundleChooser({ bundles, chosen, onToggle, onAddFiles, onRemove, about, listing, disabled, overviewBundle, onUseOverview, children }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className="card" data-testid="verified-datasets">
      <header className="card-header">
        <div>
          <h3>Data</h3>
          <p className="muted small">
            Recordings by <code>tlab bench</code>: every request&apos;s latency per interval beside PSI, usage and counters, under labelled interference
            configurations. Drop <code>.tlab</code> files on the page, or add them here.
          </p>
          {about ? (
            <details className="muted small" data-testid="verified-datasets-about">
              <summary>How the shipped bundles were recorded</summary>
              <p>{about}</p>
            </details>
          ) : null}
        </div>
        <button type="button" className="small" onClick={() => input.current?.click()} disabled={disabled} data-testid="verified-add-file">
          Add bundles…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="verified-file-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            if (files.length) onAddFiles(files);
            e.target.value = '';
          }}
        />
      </header>
      <OverviewBundleOffer
        lab="verified"
        bundle={overviewBundle}
        anyOf={['latency']}
        needs={VERIFIED_NEEDS}
        added={bundles.some((b) => b.source.kind === 'open' && b.source.bundleId === overviewBundle?.bundleId)}
        disabled={disabled}
        onUse={onUseOverview}
      />
      {bundles.length === 0 ? <p className="muted small">No bundles yet.</p> : null}
      <ul className="vl-bundles">
        {bundles.map((b) => (
          <li key={b.path} data-testid={`verified-bundle-${b.path}`}>
            <label title={b.description ?? b.title}>
              <input type="checkbox" checked={chosen.includes(b.path)} disabled={disabled} onChange={(e) => onToggle(b.path, e.target.checked)} data-testid={`verified-use-${b.path}`} />{' '}
              <code>{b.path}</code>
              {b.title !== b.path ? <span> · {b.title}</span> : null}
              {b.service ? <span className="muted small"> · {b.service}</span> : null}
              {b.bytes ? <span className="muted small"> · {formatBytes(b.bytes)}</span> : null}
              {b.source.kind === 'file' ? <span className="muted small"> · your file</span> : null}
              {b.source.kind === 'open' ? <span className="muted small"> · open in the overview</span> : null}
            </label>
            {b.source.kind !== 'dataset' ? (
              <button type="button" className="ghost small" onClick={() => onRemove(b.path)} disabled={disabled} aria-label={`Remove ${b.path}`} title="Remove this bundle">
                ✕
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="small" data-testid="verified-listing-status" data-status={listing.status}>
        {listing.status === 'loading' ? 'Reading the bundles and aligning latency with the metrics…' : null}
        {listing.status === 'failed' ? <span className="error-text">{listing.message}</span> : null}
        {listing.status === 'ready' ? (
          <>
            {listing.listing.services.map((s) => `${s.name}: ${s.rows.toLocaleString('en-US')} intervals`).join(' · ')} · {listing.listing.configurations.length} configurations ·{' '}
            {listing.listing.metrics.length} metrics
            {listing.listing.dropped.noRequests || listing.listing.dropped.warmup ? (
              <span className="muted">
                {' '}
                (left out: {listing.listing.dropped.warmup} warm-up, {listing.listing.dropped.noRequests} without a completed request)
              </span>
            ) : null}
          </>
        ) : null}
      </p>
      {children}
    </section>
  );
}
