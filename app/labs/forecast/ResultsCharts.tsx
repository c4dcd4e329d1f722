import { useEffect, useMemo, useState } from 'react';
import type { ForecastResults } from '../../../core/forecast/experiment.ts';
import type { SavedForecaster } from '../../../core/forecast/saved-model.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import type { Theme } from '../../theme.ts';
import { download, jsonBlob } from '../sched/sched-export.ts';
import { ablationOption, heatmapOption, horizonCurvesOption, lossOption, predictionsOption, withUnit } from './chart-options.ts';
import './echarts-extra.ts';
import { defaultModel, modelsOf } from './forecast-results.ts';
import { modelLabel } from './spec-form.ts';

/** The error map, the seed's Figure 2, the ablation and actual-versus-predicted, for one run's results. */
export function ResultsCharts({ results, theme, onKeep }: { results: ForecastResults; theme: Theme; onKeep?: (saved: SavedForecaster) => void }) {
  const models = useMemo(() => modelsOf(results.rows), [results]);
  const sets = useMemo(() => results.inputSets.map((s) => s.name), [results]);
  const [model, setModel] = useState<string | null>(null);
  const [inputs, setInputs] = useState<string | null>(null);
  const [lossCell, setLossCell] = useState<string | null>(null);
  // A new run keeps the choice when it still exists.
  useEffect(() => {
    setModel((m) => (m && models.includes(m) ? m : defaultModel(results.rows)));
    setInputs((i) => (i && sets.includes(i) ? i : (sets.at(-1) ?? null)));
  }, [results, models, sets]);

  const m = model && models.includes(model) ? model : defaultModel(results.rows);
  const i = inputs && sets.includes(inputs) ? inputs : (sets.at(-1) ?? '');
  const dark = theme === 'dark';
  const heatmap = useMemo(() => (m ? heatmapOption(results, m, i, dark) : null), [results, m, i, dark]);
  const curves = useMemo(() => (m ? horizonCurvesOption(results, m, i) : null), [results, m, i]);
  const ablation = useMemo(() => (sets.length > 1 ? ablationOption(results) : null), [results, sets]);
  const predictions = useMemo(() => (results.predictions ? predictionsOption(results) : null), [results]);
  const p = results.predictions;
  // Loss curves: the neural models of the chosen input set at one cell (the kept cell unless another is picked).
  const cells = useMemo(() => results.spec.horizons.flatMap((h) => results.spec.histories.map((k) => `${h}/${k}`)), [results]);
  const hasTraining = results.rows.some((r) => r.training && r.inputs === i);
  const shownCell = lossCell && cells.includes(lossCell) ? lossCell : p ? `${p.horizon}/${p.history}` : (cells[0] ?? '1/1');
  const [lossH, lossK] = shownCell.split('/').map(Number) as [number, number];
  const loss = useMemo(() => (hasTraining ? lossOption(results, i, lossH, lossK) : null), [results, i, lossH, lossK, hasTraining]);
  const saved = p?.models.filter((m) => m.saved) ?? [];

  return (
    <>
      <div className="card fc-view-line" data-testid="forecast-view">
        <label className="fc-field">
          <span>model</span>
          <select value={m ?? ''} onChange={(e) => setModel(e.target.value)} data-testid="forecast-view-model">
            {models.map((x) => (
              <option key={x} value={x}>
                {modelLabel(x)}
              </option>
            ))}
          </select>
        </label>
        <label className="fc-field">
          <span>input set</span>
          <select value={i} onChange={(e) => setInputs(e.target.value)} data-testid="forecast-view-inputs">
            {sets.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
        {hasTraining ? (
          <label className="fc-field">
            <span>loss curves at h / k</span>
            <select value={shownCell} onChange={(e) => setLossCell(e.target.value)} data-testid="forecast-view-loss-cell">
              {cells.map((c) => (
                <option key={c} value={c}>
                  {c.replace('/', ' / ')}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <p className="muted small">The error map and the RMSE-against-horizon curves show this model and input set; the loss curves, this input set.</p>
      </div>
      <div className="grid">
        {heatmap && m ? (
          <ChartCard
            id="forecast-heatmap"
            title={`Error map: ${modelLabel(m)}, ${i}`}
            subtitle={`${withUnit('Test RMSE over horizon × history', results.target.unit)}; ${theme === 'dark' ? 'lighter' : 'darker'} is better`}
            option={heatmap}
            theme={theme}
            height={340}
          />
        ) : null}
        {curves && m ? (
          <ChartCard
            id="forecast-horizon"
            title={`RMSE against horizon: ${modelLabel(m)}`}
            subtitle="One line per history length (the seed's Figure 2), with persistence and the moving average on the same test targets"
            option={curves}
            theme={theme}
            height={340}
          />
        ) : null}
        {ablation ? (
          <ChartCard
            id="forecast-ablation"
            title="Ablation: does each input set help?"
            subtitle="Per model and horizon, test RMSE of the history chosen on validation, one bar per input set"
            option={ablation}
            theme={theme}
            height={340}
          />
        ) : null}
        {predictions && p ? (
          <ChartCard
            id="forecast-predictions"
            title={`Actual vs predicted: h=${p.horizon}, k=${p.history}, ${p.inputs}`}
            subtitle={`${results.target.name} on the test span (${p.actual.length} intervals), every model`}
            option={predictions}
            theme={theme}
            height={340}
          />
        ) : null}
        {loss ? (
          <ChartCard
            id="forecast-loss"
            title={`Training loss: h=${lossH}, k=${lossK}, ${i}`}
            subtitle="Per epoch on the normalised target; validation dashed, its kept (best) epoch marked; early stopping reads validation only"
            option={loss}
            theme={theme}
            height={300}
          />
        ) : null}
      </div>
      {p && saved.length ? (
        <p className="small fc-view-line" data-testid="forecast-saved-models">
          <span className="muted">
            Trained models of the kept cell (h={p.horizon}, k={p.history}, {p.inputs}), with their normalisation and scores:
          </span>
          {saved.map((m) => (
            <button
              key={m.model}
              type="button"
              className="small"
              onClick={() => download(jsonBlob(m.saved), `forecaster-${m.model.toLowerCase()}-h${p.horizon}-k${p.history}.json`)}
              data-testid={`forecast-save-${m.model}`}
            >
              {m.model} JSON
            </button>
          ))}
          {onKeep
            ? saved.map((m) => (
                <button key={`keep-${m.model}`} type="button" className="small" onClick={() => m.saved && onKeep(m.saved)} data-testid={`forecast-keep-${m.model}`} title="Store this model in the browser (IndexedDB), listed under Saved models">
                  Keep {m.model} in this browser
                </button>
              ))
            : null}
        </p>
      ) : null}
    </>
  );
}
