import type { LoadProgress } from '../../workers/bundle-loader/protocol.ts';
import { formatBytes } from '../overview/format.ts';

const PHASE_WORDS: Record<LoadProgress['phase'], string> = {
  fetching: 'Fetching',
  reading: 'Reading',
  importing: 'Importing',
  decoding: 'Decoding',
  summarising: 'Summarising',
  done: 'Done',
};

export function LoadStatus({ name, progress, onCancel }: { name: string; progress: LoadProgress | null; onCancel: () => void }) {
  const pct = progress ? Math.round(progress.fraction * 100) : 0;
  let detail = 'starting…';
  if (progress) {
    detail = `${PHASE_WORDS[progress.phase]}${progress.table ? ` table ${progress.table}` : ''} · ${formatBytes(progress.bytesRead)}${
      progress.totalBytes ? ` of ${formatBytes(progress.totalBytes)}` : ''
    }${progress.mbPerSecond > 0 ? ` · ${progress.mbPerSecond.toFixed(0)} MB/s` : ''}`;
  }
  return (
    <div className="card load-status" role="status" aria-live="polite" data-testid="load-status">
      <div className="load-line">
        <strong>Loading {name}</strong>
        <span className="muted">
          {pct}% · {detail}
        </span>
        <button type="button" onClick={onCancel} data-testid="cancel-load">
          Cancel
        </button>
      </div>
      <progress max={100} value={pct} />
    </div>
  );
}
