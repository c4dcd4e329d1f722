import type { SchedProgress } from '../../../core/sched-lab/experiment.ts';
import { BACKEND_LABELS, type BackendName } from '../../../workers/compute/types.ts';

const PHASE_WORDS: Record<SchedProgress['phase'], string> = {
  preparing: 'Preparing',
  baselines: 'Baselines',
  training: 'Training',
  testing: 'Testing',
  latency: 'Timing inference',
  done: 'Done',
};

export function RunStatus({ progress, backend, onCancel }: { progress: SchedProgress | null; backend: BackendName; onCancel: () => void }) {
  const pct = progress ? Math.round(progress.fraction * 100) : 0;
  return (
    <div className="card" role="status" aria-live="polite" data-testid="sched-run-status" data-phase={progress?.phase ?? 'starting'}>
      <div className="load-line">
        <strong>{progress ? PHASE_WORDS[progress.phase] : 'Starting'}</strong>
        <span className="muted">
          {pct}% · {progress?.message ?? 'starting the lab worker…'} · on {BACKEND_LABELS[backend]}
        </span>
        <button type="button" onClick={onCancel} data-testid="sched-cancel">
          Cancel
        </button>
      </div>
      <progress max={100} value={pct} />
    </div>
  );
}
