import type { ReactNode } from 'react';
import type { SchedResults } from '../../../core/sched-lab/experiment.ts';
import { download, jsonBlob, resultsCsv } from './sched-export.ts';

interface Props {
  results: SchedResults | null;
  /** The validated spec (defaults filled in), or null while the form is invalid. */
  spec: unknown;
  /** More buttons (loading a spec). */
  children?: ReactNode;
}

/** Results as JSON/CSV, and the spec so `tlab run spec.json` replays the experiment beside the datasets. */
export function ResultsExport({ results, spec, children }: Props) {
  return (
    <div className="sched-export" data-testid="sched-export">
      <button type="button" className="small" disabled={!spec} onClick={() => download(jsonBlob(spec), 'sched-spec.json')} data-testid="sched-export-spec" title="Bundle paths as in datasets/sched/: save it there and run npx tlab run sched-spec.json">
        Spec JSON
      </button>
      <button type="button" className="small" disabled={!results} onClick={() => results && download(jsonBlob(results), 'sched-results.json')} data-testid="sched-export-json">
        Results JSON
      </button>
      <button
        type="button"
        className="small"
        disabled={!results}
        onClick={() => results && download(new Blob([resultsCsv(results)], { type: 'text/csv' }), 'sched-results.csv')}
        data-testid="sched-export-csv"
      >
        Results CSV
      </button>
      {children}
    </div>
  );
}
