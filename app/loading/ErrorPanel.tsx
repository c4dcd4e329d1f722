import { describeBundleError, type BundleError } from '../../core/bundle/errors.ts';

export function ErrorPanel({ name, error, onDismiss }: { name: string; error: BundleError; onDismiss: () => void }) {
  const { title, detail } = describeBundleError(error);
  return (
    <div className="card error-panel" role="alert" data-testid="load-error" data-error-kind={error.kind}>
      <div>
        <strong data-testid="load-error-title">{title}</strong>
        <span className="muted"> — {name}</span>
      </div>
      <p data-testid="load-error-detail">{detail}</p>
      <button type="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
