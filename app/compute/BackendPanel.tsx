import type { ChangeEvent } from 'react';
import { BACKEND_LABELS, BACKEND_NAMES, type BackendName, type BackendReport } from '../../workers/compute/types.ts';
import type { BackendChoice, ComputeBackend } from './useComputeBackend.ts';
import './backend-panel.css';

function msText(ms: number): string {
  return `${ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)} ms/step`;
}

function adapterText(r: BackendReport): string | null {
  const a = r.adapter;
  if (!a) return null;
  const parts = [a.vendor, a.architecture, a.description].filter(Boolean);
  if (a.isFallbackAdapter) parts.push('fallback (software) adapter');
  return parts.length ? parts.join(' · ') : null;
}

function BackendRow({ name, report, active }: { name: BackendName; report: BackendReport | undefined; active: boolean }) {
  const state = !report ? 'pending' : report.available ? 'available' : 'unavailable';
  const adapter = report && adapterText(report);
  return (
    <li
      className={`backend-option backend-${state}${active ? ' backend-option-active' : ''}`}
      data-testid={`backend-option-${name}`}
      data-available={state}
      data-ms-per-step={report?.benchmark?.msPerStep ?? ''}
    >
      <span className="backend-name">{BACKEND_LABELS[name]}</span>{' '}
      <span className="backend-state">{state === 'pending' ? 'measuring…' : state}</span>
      {report?.benchmark && (
        <span className="backend-ms" title={report.benchmark.what}>
          {' '}
          {msText(report.benchmark.msPerStep)}
        </span>
      )}
      {report?.initMs !== undefined && <span className="backend-muted"> · init {report.initMs.toFixed(0)} ms</span>}
      {report?.benchmark && <span className="backend-muted"> · first step {report.benchmark.firstStepMs.toFixed(0)} ms</span>}
      {report?.reason && <div className="backend-reason">{report.reason}</div>}
      {report?.gradients && (
        <div className="backend-muted backend-gradients">
          gradients:{' '}
          {report.gradients.map((g) => `${g.name.split(' (')[0]} ${g.ok ? '✓' : '✗'}`).join(', ')}
          {report.gradients.some((g) => !g.ran) && ' (some only looked up, not run)'}
        </div>
      )}
      {adapter && <div className="backend-muted">{adapter}</div>}
      {report?.notes && report.notes.length > 0 && (
        <ul className="backend-notes">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** Which TensorFlow.js backend runs training, what each one measured, and a way to override the choice. */
export function BackendPanel({ compute, defaultOpen = false }: { compute: ComputeBackend; defaultOpen?: boolean }) {
  const { status, reports, chosen, choice, active, error, totalMs } = compute;
  const byName = new Map(reports.map((r) => [r.name, r]));
  const ready = status === 'ready';
  const summary = active
    ? `${BACKEND_LABELS[active]}${byName.get(active)?.benchmark ? ` · ${msText(byName.get(active)!.benchmark!.msPerStep)}` : ''}`
    : status === 'error'
      ? 'probe failed'
      : status === 'waiting'
        ? 'not measured yet'
        : 'measuring…';
  const onSelect = (e: ChangeEvent<HTMLSelectElement>) => compute.setChoice(e.target.value as BackendChoice);
  return (
    <details
      className="backend-panel"
      data-testid="backend-panel"
      data-status={status}
      open={defaultOpen}
      onToggle={(e) => {
        if (e.currentTarget.open) compute.start();
      }}
    >
      <summary className="backend-summary">
        Compute: <strong data-testid="backend-active" data-backend={active ?? ''}>{summary}</strong>
        {ready && <span className="backend-muted"> ({choice === 'auto' ? 'auto' : 'your choice'})</span>}
      </summary>
      <div className="backend-body">
        <label className="backend-select-label">
          Backend{' '}
          <select data-testid="backend-select" value={choice} onChange={onSelect} disabled={!ready}>
            <option value="auto">Auto{chosen ? ` (${BACKEND_LABELS[chosen.name]})` : ''}</option>
            {BACKEND_NAMES.map((n) => (
              <option key={n} value={n} disabled={byName.get(n)?.available !== true}>
                {BACKEND_LABELS[n]}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="button" className="backend-button" onClick={compute.reprobe} disabled={!ready && status !== 'error'}>
          Measure again
        </button>
        {chosen && (
          <p className="backend-why" data-testid="backend-why">
            {chosen.why}
          </p>
        )}
        {error && (
          <p className="backend-error" role="alert">
            {error}
          </p>
        )}
        <ul className="backend-list">
          {BACKEND_NAMES.map((n) => (
            <BackendRow key={n} name={n} report={byName.get(n)} active={n === active} />
          ))}
        </ul>
        {totalMs !== null && (
          <p className="backend-muted" data-testid="backend-total">
            Probe took {(totalMs / 1000).toFixed(1)} s; step: {reports.find((r) => r.benchmark)?.benchmark?.what}
          </p>
        )}
      </div>
    </details>
  );
}
