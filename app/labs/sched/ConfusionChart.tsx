import { useMemo } from 'react';
import type { SchedResultRow } from '../../../core/sched-lab/experiment.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Theme } from '../../theme.ts';
import { confusionOption } from './chart-options.ts';

export function ConfusionChart({ row, classNames, theme }: { row: SchedResultRow; classNames: readonly string[]; theme: Theme }) {
  const option = useMemo(() => confusionOption(row.confusion, classNames, theme === 'dark'), [row, classNames, theme]);
  return (
    <ChartCard
      id="sched-confusion"
      title={`Confusion: ${row.name}`}
      subtitle="Most common true classes over all test positions; colour is the share of each true class, numbers are percent"
      option={option}
      theme={theme}
      height={420}
    />
  );
}
