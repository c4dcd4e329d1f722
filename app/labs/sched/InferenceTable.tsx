import type { SchedResultRow } from '../../../core/sched-lab/experiment.ts';
import { formatSeconds } from '../../overview/format.ts';
import { attr, micros, perSecond } from './format.ts';

/** How fast each model is, measured two ways: one event at a time (what a scheduler would do) and in batches. */
export function InferenceTable({ rows }: { rows: readonly SchedResultRow[] }) {
  const models = rows.filter((r) => r.inference || r.training);
  if (!models.length) return null;
  return (
    <section className="card" data-testid="sched-inference">
      <h3>Training and inference</h3>
      <p className="muted small">
        Per event: one switch at a time with the model&apos;s state carried forward, as a scheduler would call it. Batched: test windows scored in batches on the
        backend the app chose. A page that is not cross-origin isolated gets a timer coarsened to about 0.1 ms; then events are timed in blocks long
        enough to span many clock steps, and the percentiles are of those blocks (the column says how many events each timing covers).
      </p>
      <div className="table-scroll">
        <table className="data">
          <thead>
            <tr>
              <th>model</th>
              <th className="num">per event p50</th>
              <th className="num">per event p99</th>
              <th className="num">mean</th>
              <th className="num">events timed</th>
              <th className="num">events per timing</th>
              <th className="num">batched</th>
              <th>backend</th>
              <th className="num">training</th>
              <th className="num">best epoch</th>
            </tr>
          </thead>
          <tbody>
            {models.map((r) => {
              const i = r.inference;
              const t = r.training;
              return (
                <tr
                  key={r.name}
                  data-testid={`sched-inference-${r.name}`}
                  data-p50-us={attr(i?.streamP50Us)}
                  data-p99-us={attr(i?.streamP99Us)}
                  data-mean-us={attr(i?.streamMeanUs)}
                  data-events-per-second={attr(i?.batchedEventsPerSecond)}
                >
                  <td title={r.description}>{r.name}</td>
                  <td className="num">{i ? micros(i.streamP50Us) : '–'}</td>
                  <td className="num">{i ? micros(i.streamP99Us) : '–'}</td>
                  <td className="num">{i ? micros(i.streamMeanUs) : '–'}</td>
                  <td className="num" title={i?.streamEngine}>
                    {i ? i.streamEvents.toLocaleString('en-US') : '–'}
                  </td>
                  <td className="num" title={i ? `clock step ${i.timerResolutionUs.toFixed(1)} µs` : undefined}>
                    {i ? i.eventsPerTiming.toLocaleString('en-US') : '–'}
                  </td>
                  <td className="num">{i ? `${perSecond(i.batchedEventsPerSecond)} (batch ${i.batchSize})` : '–'}</td>
                  <td>{i?.backend ?? '–'}</td>
                  <td className="num">{t ? `${formatSeconds(t.trainMs / 1000)} · ${t.steps} steps` : '–'}</td>
                  <td className="num">{t ? `${t.bestEpoch} of ${t.history.length}${t.stoppedEarly ? ' (stopped early)' : ''}` : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
