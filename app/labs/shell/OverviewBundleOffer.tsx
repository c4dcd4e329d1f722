import { overviewBundleProblem, type OverviewBundle } from './overview-bundle.ts';

interface Props {
  /** The lab's test id prefix ("sched", "verified", "fingerprint"). */
  lab: string;
  bundle: OverviewBundle | null;
  /** Tables of which the lab needs one, and what it needs in words (said when the bundle has none of them). */
  anyOf: readonly string[];
  needs: string;
  /** Whether the lab already has it (then the button is gone). */
  added: boolean;
  disabled: boolean;
  onUse: (b: OverviewBundle) => void;
}

/**
 * "Open in the overview": the bundle the overview has open, offered to a lab without a second read, or the
 * reason the lab cannot use it. Nothing is shown when the overview has no whole bundle open.
 */
export function OverviewBundleOffer({ lab, bundle, anyOf, needs, added, disabled, onUse }: Props) {
  if (!bundle) return null;
  const problem = overviewBundleProblem(bundle, anyOf, needs);
  return (
    <p className="small" data-testid={`${lab}-overview-bundle`} data-usable={problem ? 'no' : 'yes'}>
      <span className="muted">Open in the overview: </span>
      <code>{bundle.name}</code>{' '}
      {problem ? (
        <span className="muted" data-testid={`${lab}-overview-bundle-problem`}>
          · {problem}
        </span>
      ) : added ? (
        <span className="muted">· in the lab</span>
      ) : (
        <button type="button" className="small" disabled={disabled} onClick={() => onUse(bundle)} data-testid={`${lab}-use-overview`}>
          Use it here
        </button>
      )}
    </p>
  );
}
