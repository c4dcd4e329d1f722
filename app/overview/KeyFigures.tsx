import type { Overview } from '../../core/overview/types.ts';
import { keyFigures } from './key-figures.ts';

/** The strip at the top of the overview: what the recording says in six numbers, before any chart. */
export function KeyFigures({ overview }: { overview: Overview }) {
  return (
    <dl className="key-figures" data-testid="key-figures">
      {keyFigures(overview).map((f) => (
        <div key={f.id} className="key-figure" data-testid={`figure-${f.id}`} title={f.detail}>
          <dt>{f.label}</dt>
          <dd>
            <strong>{f.value}</strong>
            <span className="sr-only"> ({f.detail})</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
