import type { DatasetEntry } from '../datasets.ts';
import { formatBytes } from '../overview/format.ts';

export function DemoList({ demos, onPick }: { demos: readonly DatasetEntry[]; onPick: (d: DatasetEntry) => void }) {
  return (
    <ul className="demo-list" data-testid="demo-list">
      {demos.map((d) => (
        <li key={d.file}>
          <button type="button" className="link" onClick={() => onPick(d)} data-testid={`demo-${d.file}`}>
            {d.title}
          </button>
          {d.bytes ? <span className="muted small"> · {formatBytes(d.bytes)}</span> : null}
          <div className="small muted">{d.description}</div>
        </li>
      ))}
    </ul>
  );
}

export function DemoSelect({ demos, onPick }: { demos: readonly DatasetEntry[]; onPick: (d: DatasetEntry) => void }) {
  return (
    <select
      aria-label="Open a demo bundle"
      data-testid="demo-select"
      value=""
      onChange={(e) => {
        const d = demos.find((x) => x.file === e.target.value);
        if (d) onPick(d);
      }}
    >
      <option value="">Demo bundles…</option>
      {demos.map((d) => (
        <option key={d.file} value={d.file}>
          {d.title}
        </option>
      ))}
    </select>
  );
}
