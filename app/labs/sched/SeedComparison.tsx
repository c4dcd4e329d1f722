import type { SchedResultRow, SchedResults } from '../../../core/sched-lab/experiment.ts';
import { micros, pct, perSecond } from './format.ts';

/** The model to set beside the seed's TCN: the best seen top-1 (unseen when nothing seen was tested). */
export function bestModel(rows: readonly SchedResultRow[]): SchedResultRow | null {
  const models = rows.filter((r) => r.kind === 'model');
  const key = (r: SchedResultRow) => {
    const seen = r.scores.byRole['test-seen']?.top1;
    return Number.isFinite(seen) ? seen! : (r.scores.byRole['test-unseen']?.top1 ?? -1);
  };
  return models.reduce<SchedResultRow | null>((best, r) => (!best || key(r) > key(best) ? r : best), null);
}

/**
 * KernelOracle2's reported figures beside ours. The numbers are not the same measurement, and the table says
 * how, row by row: a figure is only comparable when its definition is.
 */
export function SeedComparison({ results }: { results: SchedResults }) {
  const { reported, differences } = results.seed;
  const best = bestModel(results.rows);
  const seen = best?.scores.byRole['test-seen'];
  const unseen = best?.scores.byRole['test-unseen'];
  const inf = best?.inference;
  return (
    <section className="card" data-testid="sched-seed-comparison">
      <h3>Beside KernelOracle2</h3>
      <p className="muted small">
        Their figures as reported (TCN, next PID); ours from this run{best ? ` (best model: ${best.name})` : ''}, target <code>{results.spec.target}</code>. The
        rows below say where the metrics differ.
      </p>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th />
              <th className="num">KernelOracle2 (reported)</th>
              <th className="num">this run</th>
            </tr>
          </thead>
          <tbody>
            <tr data-testid="seed-seen">
              <td>top-1, seen workloads</td>
              <td className="num">{pct(reported.tcnTop1Seen)}</td>
              <td className="num">
                {pct(seen?.top1)} <span className="muted">({pct(seen?.top1ExclIdle)} excluding idle)</span>
              </td>
            </tr>
            <tr data-testid="seed-unseen">
              <td>top-1, unseen workloads</td>
              <td className="num">{pct(reported.tcnTop1Unseen)}</td>
              <td className="num">
                {pct(unseen?.top1)} <span className="muted">({pct(unseen?.top1ExclIdle)} excluding idle, {pct(unseen?.unknownShare)} unknown; {pct(unseen?.top1Known)} on the known rest)</span>
              </td>
            </tr>
            <tr data-testid="seed-latency">
              <td>time per sample</td>
              <td className="num">{reported.msPerSampleAmortised} ms (batch 128 ÷ 128, amortised)</td>
              <td className="num">
                {inf ? (
                  <>
                    {micros(inf.streamMeanUs)} mean per event ({micros(inf.streamP50Us)} p50, {micros(inf.streamP99Us)} p99);{' '}
                    {micros(1e6 / inf.batchedEventsPerSecond)} amortised (batch {inf.batchSize})
                  </>
                ) : (
                  '–'
                )}
              </td>
            </tr>
            <tr data-testid="seed-throughput">
              <td>throughput</td>
              <td className="num">~{perSecond(reported.samplesPerSecond)}</td>
              <td className="num">{inf ? `${perSecond(inf.batchedEventsPerSecond)} on ${inf.backend}` : '–'}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <h4>Where the metrics differ</h4>
      <table className="data sched-differences">
        <thead>
          <tr>
            <th>aspect</th>
            <th>KernelOracle2</th>
            <th>this lab</th>
          </tr>
        </thead>
        <tbody>
          {differences.map((d) => (
            <tr key={d.aspect} data-testid={`seed-difference-${d.aspect}`}>
              <td>{d.aspect}</td>
              <td>{d.theirs}</td>
              <td>{d.ours}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
