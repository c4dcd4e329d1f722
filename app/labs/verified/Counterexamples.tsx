import { useMemo, useState } from 'react';
import type { VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Theme } from '../../theme.ts';
import { download, jsonBlob } from '../sched/sched-export.ts';
import { dependenceOption, metricLabel, pairDataOption } from './chart-options.ts';
import { fmt, fmtShare } from './format.ts';
import { Pager } from '../../overview/Pager.tsx';
import { counterexamplesCsv, counterexamplesJson } from './verified-export.ts';

/** Pairs listed at a time: a long training run can find hundreds, and each row is a button. */
export const CEX_PAGE_ROWS = 20;

interface Props {
  results: VerifiedResults;
  selected: number;
  onSelect: (index: number) => void;
  theme: Theme;
}

/**
 * The pairs the verifier found (on the unverified network, and during training): two inputs that differ only in
 * one constrained input, where the prediction moves against the spec. Each is a certainty, confirmed by evaluating
 * the network it was found on.
 */
export function Counterexamples({ results: r, selected, onSelect, theme }: Props) {
  const cex = r.counterexamples[selected];
  const d = cex ? r.inputs.findIndex((m) => m.id === cex.input) : -1;
  const info = d >= 0 ? r.inputs[d] : undefined;
  const curve = r.curves.find((c) => c.counterexample === selected);
  const label = metricLabel(info, cex?.input ?? '');
  const depOption = useMemo(() => (cex && curve && d >= 0 ? dependenceOption(curve, cex, d, label) : null), [cex, curve, d, label]);
  const dataOption = useMemo(() => (cex && d >= 0 ? pairDataOption(r, cex, d, label) : null), [r, cex, d, label]);
  const nameOf = (id: string) => r.inputs.find((m) => m.id === id)?.name ?? id;
  const total = r.counterexamples.length;
  const [wanted, setOffset] = useState(0);
  // A go-to past the end shows the last page, not an empty one.
  const offset = Math.min(wanted, Math.max(0, Math.floor((total - 1) / CEX_PAGE_ROWS) * CEX_PAGE_ROWS));
  const page = r.counterexamples.slice(offset, offset + CEX_PAGE_ROWS);

  return (
    <section className="card" data-testid="verified-counterexamples">
      <header className="card-header">
        <div>
          <h3>Counterexamples</h3>
          <p className="muted small">
            {r.counterexamples.length === 0
              ? 'No counterexample pair was found: neither the training rounds nor the final verification of the unverified network produced one.'
              : `${r.counterexamples.length} pairs. Each differs in one input only; the prediction moves against the spec between its two points. Predictions are by the network the pair was found on (a training round's network no longer exists; the charts show both final networks through the pair).`}
          </p>
        </div>
        <div className="vl-buttons">
          <button
            type="button"
            className="small"
            disabled={r.counterexamples.length === 0}
            onClick={() => download(new Blob([counterexamplesCsv(r)], { type: 'text/csv' }), 'verified-counterexamples.csv')}
            aria-label="Download the counterexample pairs as CSV"
            data-testid="verified-cex-csv"
          >
            Pairs CSV
          </button>
          <button
            type="button"
            className="small"
            disabled={r.counterexamples.length === 0}
            onClick={() => download(jsonBlob(counterexamplesJson(r)), 'verified-counterexamples.json')}
            aria-label="Download the counterexample pairs as JSON"
            data-testid="verified-cex-json"
          >
            Pairs JSON
          </button>
        </div>
      </header>
      {total > CEX_PAGE_ROWS ? (
        <div className="table-view-bar">
          <span className="small" data-testid="verified-cex-range">
            pairs {offset + 1}–{offset + page.length} of {total}
          </span>
          <Pager id="verified-cex" offset={offset} shownRows={page.length} total={total} pageRows={CEX_PAGE_ROWS} onOffset={setOffset} />
        </div>
      ) : null}
      {total ? (
        <div className="table-scroll vl-table-scroll">
          <table className="data vl-table small">
            <thead>
              <tr>
                <th scope="col" className="num">
                  pair
                </th>
                <th scope="col">input</th>
                <th scope="col" className="num">
                  lo
                </th>
                <th scope="col" className="num">
                  hi
                </th>
                <th scope="col" className="num">
                  f(lo) µs
                </th>
                <th scope="col" className="num">
                  f(hi) µs
                </th>
                <th scope="col">found on</th>
                <th scope="col" className="num" title="Share of the box where that network provably falls the wrong way along the input, around the pair">
                  region
                </th>
                <th scope="col">
                  <span className="vl-sr">show</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.map((c, j) => {
                const k = offset + j;
                const i = r.inputs.findIndex((m) => m.id === c.input);
                const on = k === selected;
                return (
                  <tr key={k} className={on ? 'vl-selected' : undefined} data-testid="verified-cex-row" data-input={c.input}>
                    <td className="num">{k + 1}</td>
                    <td>
                      {nameOf(c.input)} <span className="muted">({r.inputs[i]?.direction})</span>
                    </td>
                    <td className="num">{fmt(c.lo[i])}</td>
                    <td className="num">{fmt(c.hi[i])}</td>
                    <td className="num">{fmt(c.fLo)}</td>
                    <td className="num">{fmt(c.fHi)}</td>
                    <td>{c.foundOn}</td>
                    <td className="num" data-testid="verified-cex-region">{c.region ? `${fmtShare(c.region.volume)}` : '–'}</td>
                    <td>
                      <button type="button" className="small" aria-pressed={on} onClick={() => onSelect(k)} aria-label={`Show pair ${k + 1} on the charts`} data-testid={`verified-cex-show-${k}`}>
                        {on ? 'Shown' : 'Show'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {cex && info ? (
        <>
          <details className="vl-pair-detail" data-testid="verified-cex-detail">
            <summary className="small">Pair {selected + 1}: every input at its two points, and the sub-box where it lives</summary>
            <p className="muted small">
              {cex.region
                ? `The violation region is the largest box around the pair (the same share of every input's range) on which the bounds prove that the network it was found on falls the wrong way along ${info.name} everywhere: every step along ${info.name} inside it is a counterexample. It covers ${fmtShare(cex.region.volume)} of the box.`
                : 'The bounds certify no box around this pair: it sits on a kink, where the falling piece is too thin to cover a box of any size the bisection tried.'}
            </p>
            <table className="data vl-table small">
              <thead>
                <tr>
                  <th scope="col">input</th>
                  <th scope="col" className="num">
                    lo point
                  </th>
                  <th scope="col" className="num">
                    hi point
                  </th>
                  <th scope="col">box</th>
                  <th scope="col">violation region</th>
                </tr>
              </thead>
              <tbody>
                {r.inputs.map((m, i) => (
                  <tr key={m.id} className={i === d ? 'vl-selected' : undefined}>
                    <td>{m.name}</td>
                    <td className="num">{fmt(cex.lo[i])}</td>
                    <td className="num">{fmt(cex.hi[i])}</td>
                    <td className="vl-nowrap">
                      [{fmt(m.boxLo)}, {fmt(m.boxHi)}] {m.direction !== 'free' ? m.direction : ''}
                    </td>
                    <td className="vl-nowrap">{cex.region ? `[${fmt(cex.region.lo[i])}, ${fmt(cex.region.hi[i])}]` : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          <div className="grid">
            {depOption ? (
              <ChartCard
                id="verified-dependence"
                title={`Partial dependence along ${info.name}`}
                subtitle={`Both final networks as ${info.name} sweeps its box, every other input held at pair ${selected + 1}; the dotted segment is the pair as found (shaded between its points)`}
                option={depOption}
                theme={theme}
                height={300}
              />
            ) : null}
            {dataOption ? (
              <ChartCard
                id="verified-pair-data"
                title={`Pair ${selected + 1} on the test data`}
                subtitle={`Test intervals' latency against ${info.name} (truth and both networks' predictions); the red segment joins the pair's lower (dot) and higher (diamond) point; the orange band is the pair's violation region along ${info.name}`}
                option={dataOption}
                theme={theme}
                height={300}
              />
            ) : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
