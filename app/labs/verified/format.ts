import type { ModelScore, VerificationSummary } from '../../../core/verified-lab/experiment.ts';

/** Numbers as the tables show them: 4 significant digits, a dash for what is not defined. */
export const fmt = (v: number | null | undefined) => (v !== null && v !== undefined && Number.isFinite(v) ? Number(v.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 }) : '–');
export const pct = (v: number | null | undefined, digits = 1) => (v !== null && v !== undefined && Number.isFinite(v) ? `${(v * 100).toFixed(digits)}%` : '–');
/** A share of the box's volume, readable when tiny (regions are often 1e-4 of a 5-input box). */
export const fmtShare = (v: number) => (v >= 0.001 ? `${(v * 100).toPrecision(3)}%` : `${(v * 100).toExponential(1)}%`);
export const us = (v: number | null | undefined) => (v !== null && v !== undefined && Number.isFinite(v) ? `${fmt(v)} µs` : '–');

/**
 * What a verdict means, in words. Only "verified" and "by construction" say the model is monotone; a falsified
 * model has a confirmed pair; unknown and not-proven say nothing either way.
 */
export function monotoneWords(status: ModelScore['monotone'] | VerificationSummary['status'], volume?: number): string {
  switch (status) {
    case 'verified':
      return 'monotone: proven over the whole box';
    case 'by construction':
      return 'monotone by construction';
    case 'falsified':
      return 'not monotone: a counterexample pair was found';
    case 'unknown':
      return volume === undefined ? 'unknown: neither proven nor refuted within the budget' : `unknown: ${pct(volume)} of the box proven, no counterexample found within the budget`;
    case 'not-proven':
      return volume === undefined ? 'not proven (no counterexample either)' : `not proven: ${pct(volume)} of the box proven; the rest could not be, and no counterexample was found`;
    case 'violated':
      return 'violated (reported without a pair)';
  }
}

/** A status's badge class (the theme's ok / warn / bad colours). */
export function statusClass(status: string): string {
  if (status === 'verified' || status === 'by construction') return 'badge badge-ok';
  if (status === 'falsified' || status === 'violated') return 'badge badge-unavailable';
  return 'badge badge-partial';
}

export const MODE_WORDS: Record<VerificationSummary['mode'], string> = {
  complete: 'complete: exact line-walk falsifier, gradient bounds with branch and bound; never "violated" without a pair',
  ouroboros: 'Ouroboros: interval gradient bounds and bisection only; a box it cannot prove counts against the network, with no pair',
};
