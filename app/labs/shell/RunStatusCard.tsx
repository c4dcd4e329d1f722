import type { ReactNode } from 'react';
import { BACKEND_LABELS, type BackendName } from '../../../workers/compute/types.ts';

interface Props {
  /** The card's test id; the action button's is `action.testId`. */
  testId: string;
  /** The phase in words ("Training"); null before the first progress report. */
  phase: string | null;
  /** The phase's key, for tests (`data-phase`). */
  phaseKey?: string;
  fraction: number | null;
  message: string | null;
  backend?: BackendName;
  action: { label: string; onClick: () => void; testId: string; title?: string; className?: string };
  children?: ReactNode;
}

/** A lab run in flight: phase, share done, what it is doing, on which backend, and how to stop it. */
export function RunStatusCard({ testId, phase, phaseKey, fraction, message, backend, action, children }: Props) {
  const pct = fraction === null ? 0 : Math.round(fraction * 100);
  return (
    <div className="card" role="status" aria-live="polite" data-testid={testId} data-phase={phaseKey ?? 'starting'}>
      <div className="load-line">
        <strong>{phase ?? 'Starting'}</strong>
        <span className="muted">
          {pct}% · {message ?? 'starting the lab worker…'}
          {backend ? ` · on ${BACKEND_LABELS[backend]}` : ''}
        </span>
        <button type="button" className={action.className} onClick={action.onClick} data-testid={action.testId} title={action.title}>
          {action.label}
        </button>
      </div>
      <progress max={100} value={pct} aria-label="Progress of the run" />
      {children}
    </div>
  );
}
