import { useMemo } from 'react';
import type { VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Theme } from '../../theme.ts';
import { figure6Option, lossBaseOption, lossSeries } from './chart-options.ts';
import { pct } from './format.ts';

/** vPALs Figure 5: the loss per epoch of counterexample-guided training, with where the verifier ran and what it said. */
export function Figure5({ results: r, theme }: { results: VerifiedResults; theme: Theme }) {
  const option = useMemo(() => ({ ...lossBaseOption(), series: lossSeries(r.epochs, r.rounds) }), [r]);
  return (
    <ChartCard
      id="verified-figure5"
      title="Figure 5: training loss and verification rounds"
      subtitle={`MSE and pair penalty per epoch of verified training; a yellow band and a line where the verifier ran (${r.rounds.length} rounds), labelled with its verdict and the share of the box proven`}
      option={option}
      theme={theme}
      height={320}
    />
  );
}

/** vPALs Figure 6: both networks on train, test and the counterexample set, with what the last group means here. */
export function Figure6({ results: r, theme }: { results: VerifiedResults; theme: Theme }) {
  const option = useMemo(() => figure6Option(r), [r]);
  const cex = r.figure6.find((f) => f.set === 'counterexamples');
  return (
    <section className="vl-figure6" data-testid="verified-figure6">
      <ChartCard
        id="verified-figure6"
        title="Figure 6: unverified vs verified network"
        subtitle="Same architecture, seed, data and number of epochs; only the verified one trained with the verifier"
        option={option}
        theme={theme}
        height={300}
      />
      <p className="muted small vl-caption" data-testid="verified-figure6-caption">
        <strong>train</strong> and <strong>test</strong>: accuracy, the share of intervals predicted within {r.spec.accuracyTolerance} of the truth on the
        normalised target. <strong>counterexamples</strong>: not an accuracy against labels (vPALs&apos; pairs have none), but the share of the{' '}
        {cex?.n ?? 0} counterexample pairs that each final network orders as the spec wants (the prediction at the pair&apos;s higher point is at least the
        one at its lower point for an increasing input).{' '}
        {cex && cex.n > 0 ? `Unverified ${pct(cex.unverified)}, verified ${pct(cex.verified)}.` : 'No pairs were found, so that group is empty.'}
      </p>
    </section>
  );
}
