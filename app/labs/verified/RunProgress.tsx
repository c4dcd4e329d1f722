import { useMemo } from 'react';
import type { EpochPoint, VerifiedProgress } from '../../../core/verified-lab/experiment.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
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
  const pctDone = progress ? Math.round(progress.fraction * 100) : 0;
  const base = useMemo(() => lossBaseOption(), []);
  const series = useMemo(() => lossSeries(epochs), [epochs]);
  const volume = progress?.phase === 'verifying' ? (progress.verifiedVolume ?? 0) : null;
  return (
    <>
      <div className="card" role="status" aria-live="polite" data-testid="verified-run-status" data-phase={progress?.phase ?? 'starting'}>
        <div className="load-line">
          <strong>{progress ? PHASE_WORDS[progress.phase] : 'Starting'}</strong>
          <span className="muted">
            {pctDone}% · {progress?.message ?? 'starting the lab worker…'}
          </span>
          <button
            type="button"
            className="vl-stop"
            onClick={onStop}
            data-testid="verified-stop"
            title="Training and verification do not pause inside the worker: Stop ends the worker, and the next run starts a new one"
          >
            Stop
          </button>
        </div>
        <progress max={100} value={pctDone} aria-label="Progress of the run" />
        {volume !== null ? (
          <div className="vl-volume" data-testid="verified-volume">
            <span className="small">box proven monotone: {pct(volume)}</span>
            <progress max={1} value={volume} aria-label="Share of the box proven monotone so far" />
          </div>
        ) : null}
        <p className="muted small vl-stop-note">
          Stop terminates the lab&apos;s worker (a run cannot be interrupted from inside); what it computed is discarded.
        </p>
      </div>
      {epochs.length ? <ChartCard id="verified-live-loss" title="Training loss so far" subtitle="Counterexample-guided training: MSE and pair penalty per epoch" option={base} detailSeries={series} theme={theme} height={240} /> : null}
    </>
  );
}
