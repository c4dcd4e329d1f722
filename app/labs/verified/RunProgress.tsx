import { useMemo } from 'react';
import type { EpochPoint, VerifiedProgress } from '../../../core/verified-lab/experiment.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { RunStatusCard } from '../shell/RunStatusCard.tsx';
import type { Theme } from '../../theme.ts';
import { lossBaseOption, lossSeries } from './chart-options.ts';
import { pct } from './format.ts';

const PHASE_WORDS: Record<VerifiedProgress['phase'], string> = {
  data: 'Reading data',
  baselines: 'Baselines',
  training: 'Training',
  verifying: 'Verifying',
  done: 'Done',
};

interface Props {
  progress: VerifiedProgress | null;
  epochs: readonly EpochPoint[];
  onStop: () => void;
  theme: Theme;
}

/** The run as it goes: phase and message, the share of the box proven while verifying, and the loss so far. */
export function RunProgress({ progress, epochs, onStop, theme }: Props) {
  const base = useMemo(() => lossBaseOption(), []);
  const series = useMemo(() => lossSeries(epochs), [epochs]);
  const volume = progress?.phase === 'verifying' ? (progress.verifiedVolume ?? 0) : null;
  return (
    <>
      <RunStatusCard
        testId="verified-run-status"
        phase={progress ? PHASE_WORDS[progress.phase] : null}
        phaseKey={progress?.phase}
        fraction={progress?.fraction ?? null}
        message={progress?.message ?? null}
        action={{
          label: 'Stop',
          onClick: onStop,
          testId: 'verified-stop',
          className: 'vl-stop',
          title: 'Training and verification do not pause inside the worker: Stop ends the worker, and the next run starts a new one',
        }}
      >
        {volume !== null ? (
          <div className="vl-volume" data-testid="verified-volume">
            <span className="small">box proven monotone: {pct(volume)}</span>
            <progress max={1} value={volume} aria-label="Share of the box proven monotone so far" />
          </div>
        ) : null}
        <p className="muted small vl-stop-note">
          Stop terminates the lab&apos;s worker (a run cannot be interrupted from inside); what it computed is discarded.
        </p>
      </RunStatusCard>
      {epochs.length ? <ChartCard id="verified-live-loss" title="Training loss so far" subtitle="Counterexample-guided training: MSE and pair penalty per epoch" option={base} detailSeries={series} theme={theme} height={240} /> : null}
    </>
  );
}
