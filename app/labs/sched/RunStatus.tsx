import type { SchedProgress } from '../../../core/sched-lab/experiment.ts';
import type { BackendName } from '../../../workers/compute/types.ts';
import { RunStatusCard } from '../shell/RunStatusCard.tsx';

const PHASE_WORDS: Record<SchedProgress['phase'], string> = {
  preparing: 'Preparing',
  baselines: 'Baselines',
  training: 'Training',
  testing: 'Testing',
  latency: 'Timing inference',
  done: 'Done',
};

export function RunStatus({ progress, backend, onCancel }: { progress: SchedProgress | null; backend: BackendName; onCancel: () => void }) {
  return (
    <RunStatusCard
      testId="sched-run-status"
      phase={progress ? PHASE_WORDS[progress.phase] : null}
      phaseKey={progress?.phase}
      fraction={progress?.fraction ?? null}
      message={progress?.message ?? null}
      backend={backend}
      action={{ label: 'Cancel', onClick: onCancel, testId: 'sched-cancel' }}
    />
  );
}
