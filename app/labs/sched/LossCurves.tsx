import { useMemo } from 'react';
import type { SchedResultRow } from '../../../core/sched-lab/experiment.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Theme } from '../../theme.ts';
import { lossOption } from './chart-options.ts';

export function LossCurves({ rows, theme }: { rows: readonly SchedResultRow[]; theme: Theme }) {
  const option = useMemo(() => lossOption(rows), [rows]);
  if (!rows.some((r) => r.training)) return null;
  return (
    <ChartCard
      id="sched-loss"
      title="Training loss"
      subtitle="Per epoch; validation is the chronological tail of the training traces (early stopping keeps the best epoch)"
      option={option}
      theme={theme}
      height={300}
    />
  );
}
