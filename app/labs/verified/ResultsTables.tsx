import type { VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import { fmt, MODE_WORDS, monotoneWords, pct, statusClass, us } from './format.ts';

const attr = (v: number) => (Number.isFinite(v) ? String(v) : '');

/** The core names a baseline's input by position ("isotonic on input 2"); the table adds the input's name. */
export function withInputNames(text: string, r: VerifiedResults): string {
  return text.replace(/\binput (\d+)\b/g, (whole, k: string) => {
    const m = r.inputs[Number(k) - 1];
    return m ? `${whole} (${m.name})` : whole;
  });
}

/**
 * Every model on the same split: the trivial mean, least squares, isotonic regression on the main input, and the two
 * MLPs. Accuracy as vPALs defines it (|prediction − truth| below the tolerance on the normalised target), errors in
 * µs; the monotone column says only what was proven or refuted.
 */
export function ScoresTable({ results: r }: { results: VerifiedResults }) {
  return (
    <section className="card" data-testid="verified-scores">
      <h3>Scores</h3>
      <p className="muted small">
        {r.service}, {r.target.id.replace('_us', '')} latency{r.target.transform === 'log' ? ' (modelled as log latency)' : ''}: {r.data.trainRows} training and {r.data.testRows} test
        intervals; accuracy is |prediction − truth| &lt; {r.spec.accuracyTolerance} on the MinMax-normalised target. Baselines are scored on exactly the same
        rows.
      </p>
      <div className="table-scroll">
        <table className="data vl-table small">
          <thead>
            <tr>
              <th scope="col">model</th>
              <th scope="col" className="num">
                train acc.
              </th>
              <th scope="col" className="num">
                test acc.
              </th>
              <th scope="col" className="num">
                train RMSE
              </th>
              <th scope="col" className="num">
                test RMSE
              </th>
              <th scope="col" className="num">
                test MAE
              </th>
              <th scope="col">monotone in the spec&apos;s inputs</th>
            </tr>
          </thead>
          <tbody>
            {r.scores.map((s) => (
              <tr
                key={s.model}
                className={s.kind === 'baseline' ? 'vl-baseline' : 'vl-mlp'}
                data-testid="verified-score-row"
                data-model={s.model}
                data-kind={s.kind}
                data-monotone={s.monotone}
                data-test-accuracy={attr(s.testAccuracy)}
                data-train-accuracy={attr(s.trainAccuracy)}
                data-test-rmse={attr(s.testRmse)}
              >
                <td>
                  {s.kind === 'mlp' ? <strong>{s.model}</strong> : withInputNames(s.model, r)}
                  {s.note ? <div className="muted">{withInputNames(s.note, r)}</div> : null}
                </td>
                <td className="num">{pct(s.trainAccuracy)}</td>
                <td className="num">{pct(s.testAccuracy)}</td>
                <td className="num">{us(s.trainRmse)}</td>
                <td className="num">{us(s.testRmse)}</td>
                <td className="num">{us(s.testMae)}</td>
                <td>
                  <span className={statusClass(s.monotone)}>{s.monotone}</span> <span className="muted">{monotoneWords(s.monotone)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/**
 * Both final networks under both verifiers, on the same box: the complete mode answers verified or falsified (with
 * a pair) or says how much it proved; Ouroboros's interval bisection can only prove, so where the bounds are loose it
 * answers "not proven" even on a monotone network.
 */
export function VerificationsTable({ results: r, onShowCounterexample }: { results: VerifiedResults; onShowCounterexample: (index: number) => void }) {
  return (
    <section className="card" data-testid="verified-verifications">
      <h3>Verification of the final networks</h3>
      <p className="muted small">
        The same box and directions for both networks. <strong>Complete</strong>: exact line walks look for a violating pair first, then symbolic linear
        bounds on the gradient with branch and bound prove sub-boxes, and an exact MILP (HiGHS) settles the boxes bounds cannot; it never reports a violation without a pair it has confirmed by evaluating the network.{' '}
        <strong>Ouroboros</strong>: interval gradient bounds and bisection only; a box it cannot prove at the smallest size counts against the network, with no
        pair (sound, but incomplete).
      </p>
      <div className="table-scroll">
        <table className="data vl-table small">
          <thead>
            <tr>
              <th scope="col">network</th>
              <th scope="col">verifier</th>
              <th scope="col">result</th>
              <th scope="col" className="num">
                box proven
              </th>
              <th scope="col" className="num">
                seconds
              </th>
              <th scope="col" className="num">
                boxes
              </th>
              <th scope="col">exact step</th>
              <th scope="col">counterexample</th>
            </tr>
          </thead>
          <tbody>
            {r.verifications.map((v) => {
              const cexIndex = v.counterexample ? r.counterexamples.findIndex((c) => c.input === v.counterexample!.input && c.lo.every((x, i) => x === v.counterexample!.lo[i]) && c.hi.every((x, i) => x === v.counterexample!.hi[i])) : -1;
              return (
                <tr key={`${v.network}-${v.mode}`} data-testid="verified-verification-row" data-network={v.network} data-mode={v.mode} data-status={v.status} data-volume={v.verifiedVolume}>
                  <td>{v.network === 'verified' ? 'verified training' : 'unverified'}</td>
                  <td title={MODE_WORDS[v.mode]}>{v.mode === 'complete' ? 'complete' : 'Ouroboros'}</td>
                  <td>
                    <span className={statusClass(v.status)}>{v.status}</span> <span className="muted">{monotoneWords(v.status, v.verifiedVolume)}</span>
                  </td>
                  <td className="num">
                    <meter min={0} max={1} value={v.verifiedVolume} aria-label={`Share of the box proven for the ${v.network} network by the ${v.mode} verifier`} /> {pct(v.verifiedVolume)}
                  </td>
                  <td className="num">{v.seconds.toFixed(2)}</td>
                  <td className="num">{v.boxes.toLocaleString('en-US')}</td>
                  <td className="small" data-testid="verified-milp">
                    {v.mode !== 'complete' ? <span className="muted">none (interval bounds only)</span> : v.milp.solver ? `${v.milp.solves} MILP solves, ${v.milp.proved} proved (${v.milp.seconds.toFixed(1)} s)` : <span className="muted">no MILP: {v.milp.unavailable ?? 'off'}</span>}
                  </td>
                  <td>
                    {v.counterexample ? (
                      cexIndex >= 0 ? (
                        <button type="button" className="link small" onClick={() => onShowCounterexample(cexIndex)} aria-label={`Show the counterexample pair found on the ${v.network} network by the ${v.mode} verifier`}>
                          in {r.inputs.find((m) => m.id === v.counterexample!.input)?.name ?? v.counterexample.input} (pair {cexIndex + 1})
                        </button>
                      ) : (
                        <span className="small">
                          in {r.inputs.find((m) => m.id === v.counterexample!.input)?.name ?? v.counterexample.input}: {fmt(v.counterexample.fLo)} → {fmt(v.counterexample.fHi)} µs
                        </span>
                      )
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Where the verifier ran during training: one row per round (vPALs Figure 5's yellow intervals). */
export function RoundsTable({ results: r }: { results: VerifiedResults }) {
  return (
    <details className="card" data-testid="verified-rounds">
      <summary>
        <strong>Verification rounds during training</strong> <span className="muted small">({r.rounds.length})</span>
      </summary>
      <div className="table-scroll">
        <table className="data vl-table small">
          <thead>
            <tr>
              <th scope="col" className="num">
                round
              </th>
              <th scope="col" className="num">
                after epoch
              </th>
              <th scope="col">result</th>
              <th scope="col" className="num">
                box proven
              </th>
              <th scope="col" className="num">
                seconds
              </th>
              <th scope="col" className="num">
                pairs in training
              </th>
            </tr>
          </thead>
          <tbody>
            {r.rounds.map((x) => (
              <tr key={x.round}>
                <td className="num">{x.round}</td>
                <td className="num">{x.epochs}</td>
                <td>
                  <span className={statusClass(x.status)}>{x.status}</span>
                </td>
                <td className="num">{pct(x.verifiedVolume)}</td>
                <td className="num">{x.seconds.toFixed(2)}</td>
                <td className="num">{x.pairs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
