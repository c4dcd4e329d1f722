import type { Manifest } from '../../core/bundle/manifest.ts';
import { formatBytes, formatSeconds } from './format.ts';

/** A setting's value in words: lists joined, an object as its fields (never "[object Object]"). */
function valueText(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map((x) => valueText(x, depth + 1)).join(', ');
  if (typeof v === 'object') {
    const fields = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => (depth > 3 ? k : `${k} ${valueText(x, depth + 1)}`));
    return depth > 0 ? `(${fields.join(', ')})` : fields.join(', ');
  }
  return String(v);
}

/** A source's settings in one short line, e.g. "interval_ms=200 · events=task-clock,page-faults · traces=(id run1, rows 447), …". */
function settingsText(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${valueText(v, 1)}`)
    .join(' · ')
    .slice(0, 400);
}

function exitText(exit: Manifest['workload']['exit']): string {
  if (!exit) return 'did not finish or unknown';
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exited with ${exit.code}`;
}

export function ManifestSummary({ manifest, fileName, bytes }: { manifest: Manifest; fileName: string; bytes: number }) {
  const w = manifest.workload;
  const duration = (w.endNs - w.startNs) / 1e9;
  const started = manifest.clock.originUnixNs ? new Date(Number(BigInt(manifest.clock.originUnixNs) / 1_000_000n) + w.startNs / 1e6) : null;
  const sources = Object.entries(manifest.sources);
  return (
    <section className="card manifest" data-testid="manifest-summary">
      <header className="card-header">
        <div>
          <p className="muted small">
            {fileName} · {formatBytes(bytes)} · format {manifest.formatVersion} · written by {manifest.producer.name} {manifest.producer.version}
          </p>
        </div>
      </header>
      <dl className="facts">
        <dt>Command</dt>
        <dd>{w.command ? <code>{w.command.join(' ')}</code> : <span className="muted">attached or imported</span>}</dd>
        <dt>Duration</dt>
        <dd data-testid="duration">{formatSeconds(duration)}{started ? `, from ${started.toLocaleString()}` : ''}</dd>
        <dt>Ended</dt>
        <dd>{exitText(w.exit)}</dd>
        <dt>Grouped by</dt>
        <dd>
          {w.group.kind}
          {w.group.path ? <code> {w.group.path}</code> : null}
          {w.group.note ? <span className="muted"> ({w.group.note})</span> : null}
        </dd>
        <dt>Host</dt>
        <dd>
          {[
            manifest.host.hostname ?? 'hostname not recorded',
            manifest.host.kernel ? `Linux ${manifest.host.kernel}` : 'kernel unknown',
            manifest.host.arch,
            manifest.host.cpuCount ? `${manifest.host.cpuCount} CPUs` : null,
            manifest.host.memoryBytes !== null ? formatBytes(manifest.host.memoryBytes) : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </dd>
      </dl>
      <h3>Sources</h3>
      <ul className="sources" data-testid="sources">
        {sources.length === 0 ? <li className="muted">none recorded</li> : null}
        {sources.map(([name, s]) =>
          s ? (
            <li key={name} className={`source source-${s.status}`} data-testid={`source-${name}`}>
              <strong>{name}</strong> <span className={`badge badge-${s.status}`}>{s.status}</span>
              {s.tool ? <span className="muted small"> {s.tool.name} {s.tool.version ?? ''}</span> : null}
              {'reason' in s ? <div className="small">{s.reason}</div> : null}
              {settingsText(s.settings) ? <div className="small muted">{settingsText(s.settings)}</div> : null}
              {s.notes?.map((n, i) => (
                <div key={i} className="small">
                  {n}
                </div>
              ))}
            </li>
          ) : null,
        )}
      </ul>
      {manifest.overhead && Object.keys(manifest.overhead).length ? (
        <p className="small muted" data-testid="overhead">
          Recording cost:{' '}
          {Object.entries(manifest.overhead)
            .map(([k, v]) => `${k} ${Number(v.toPrecision(3))}`)
            .join(' · ')}
        </p>
      ) : null}
      {manifest.notes?.length ? (
        <ul className="notes small">
          {manifest.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
