import { useRef } from 'react';
import { formatBytes, formatCount } from '../../overview/format.ts';
import { BUNDLE_ROLES, SCHED_NEEDS, type BundleRole, type LabBundle } from './spec-form.ts';
import { OverviewBundleOffer } from '../shell/OverviewBundleOffer.tsx';
import type { OverviewBundle } from '../shell/overview-bundle.ts';

interface Props {
  bundles: readonly LabBundle[];
  onChange: (path: string, patch: Partial<Pick<LabBundle, 'role' | 'workload'>>) => void;
  onAddFiles: (files: File[]) => void;
  onRemove: (path: string) => void;
  disabled: boolean;
  overviewBundle: OverviewBundle | null;
  onUseOverview: (b: OverviewBundle) => void;
}

/** The experiment's bundles: the shipped recordings and any the user dropped, each with its workload and role. */
export function DatasetPicker({ bundles, onChange, onAddFiles, onRemove, disabled, overviewBundle, onUseOverview }: Props) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <section className="card" data-testid="sched-datasets">
      <header className="card-header">
        <div>
          <h3>Bundles</h3>
          <p className="muted small">
            Split by trace: a workload with a training trace is <em>seen</em>; a workload with none is <em>unseen</em>. Drop <code>.tlab</code> files
            with <code>sched</code> events, or trace-cmd/ftrace text captures, anywhere on the page to add them.
          </p>
        </div>
        <button type="button" className="small" onClick={() => input.current?.click()} disabled={disabled} data-testid="sched-add-file">
          Add bundles…
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          data-testid="sched-file-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            if (files.length) onAddFiles(files);
            e.target.value = '';
          }}
        />
      </header>
      <OverviewBundleOffer
        lab="sched"
        bundle={overviewBundle}
        anyOf={['sched']}
        needs={SCHED_NEEDS}
        added={bundles.some((b) => b.source.kind === 'open' && b.source.bundleId === overviewBundle?.bundleId)}
        disabled={disabled}
        onUse={onUseOverview}
      />
      <table className="data sched-bundles">
        <thead>
          <tr>
            <th>bundle</th>
            <th>workload</th>
            <th className="num">switches</th>
            <th>role</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {bundles.map((b) => (
            <tr key={b.path} data-testid={`sched-bundle-${b.path}`} className={b.role === 'unused' ? 'sched-unused' : undefined}>
              <td>
                <span title={b.title}>{b.path}</span>
                {b.bytes ? <span className="muted small"> · {formatBytes(b.bytes)}</span> : null}
                {b.source.kind === 'file' ? <span className="muted small"> · dropped</span> : null}
                {b.source.kind === 'open' ? <span className="muted small"> · open in the overview</span> : null}
              </td>
              <td>
                {b.source.kind !== 'dataset' ? (
                  <input
                    type="text"
                    aria-label={`workload of ${b.path}`}
                    value={b.workload}
                    disabled={disabled}
                    onChange={(e) => onChange(b.path, { workload: e.target.value })}
                    data-testid={`sched-workload-${b.path}`}
                  />
                ) : (
                  b.workload
                )}
              </td>
              <td className="num">{b.switches !== undefined ? formatCount(b.switches) : '–'}</td>
              <td>
                <select
                  aria-label={`role of ${b.path}`}
                  value={b.role}
                  disabled={disabled}
                  onChange={(e) => onChange(b.path, { role: e.target.value as BundleRole })}
                  data-testid={`sched-role-${b.path}`}
                >
                  {BUNDLE_ROLES.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                {b.source.kind !== 'dataset' ? (
                  <button type="button" className="ghost small" onClick={() => onRemove(b.path)} disabled={disabled} title="Remove this bundle">
                    ✕
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
