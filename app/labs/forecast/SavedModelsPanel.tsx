import { useCallback, useEffect, useImperativeHandle, useMemo, useRef, useState, type Ref } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { parseSavedForecaster, type SavedForecaster } from '../../../core/forecast/saved-model.ts';
import type { AppliedOutcome, AppliedResults } from '../../../workers/forecast-lab/protocol.ts';
import { ChartCard } from '../../charts/ChartCard.tsx';
import { JsonFileButton } from '../shell/JsonFileButton.tsx';
import { testHooks } from '../../testing/test-hooks.ts';
import type { Theme } from '../../theme.ts';
import { defaultModelName, deleteModel, listModels, putModel, type StoredModel } from './model-store.ts';

/** What the page can ask of the panel: keep a model the run just trained. */
export interface SavedModelsHandle {
  keep(saved: SavedForecaster): void;
}

interface Props {
  /** The bundle chosen above (its path), or null. */
  bundlePath: string | null;
  /** Runs a saved model over the selected bundle in the lab's worker. */
  onApply: (saved: SavedForecaster) => Promise<AppliedOutcome>;
  busy: boolean;
  theme: Theme;
  handle?: Ref<SavedModelsHandle>;
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '–');
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

type ApplyState = { status: 'idle' } | { status: 'running'; id: number } | { status: 'done'; id: number; model: StoredModel; results: AppliedResults } | { status: 'failed'; id: number; message: string };

function appliedOption(r: AppliedResults, label: string): EChartsCoreOption {
  const pairs = (ys: Float32Array) => Array.from(ys, (y, i) => [r.tS[i]!, y]);
  return {
    grid: { left: 64, right: 16, top: 40, bottom: 64 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v)) },
    legend: { top: 4, left: 8 },
    xAxis: { type: 'value', name: 'seconds', nameLocation: 'middle', nameGap: 24, scale: true },
    yAxis: { type: 'value', name: `${r.targetName}${r.targetUnit ? ` (${r.targetUnit})` : ''}`, nameLocation: 'middle', nameGap: 46, scale: true },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 14, bottom: 6 },
    ],
    series: [
      { name: 'actual', type: 'line', symbolSize: 4, lineStyle: { width: 3 }, data: pairs(r.actual) },
      { name: label, type: 'line', showSymbol: false, lineStyle: { width: 1.5 }, data: pairs(r.predicted) },
    ],
  };
}

/**
 * Trained forecasters kept in this browser (IndexedDB) or loaded from a downloaded file, and applied to the
 * selected bundle: actual versus predicted over every window, with the RMSE on that bundle.
 */
export function SavedModelsPanel({ bundlePath, onApply, busy, theme, handle }: Props) {
  const [models, setModels] = useState<StoredModel[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [applied, setApplied] = useState<ApplyState>({ status: 'idle' });
  const applyRun = useRef(0);

  const refresh = useCallback(() => {
    testHooks.beginWork();
    return listModels()
      .then((m) => {
        setModels(m);
        setProblem(null);
      })
      .catch((e: unknown) => setProblem(`Models cannot be kept in this browser: ${message(e)}`))
      .finally(() => testHooks.endWork());
  }, []);

  useEffect(() => void refresh(), [refresh]);

  const keep = useCallback(
    (saved: SavedForecaster) => {
      testHooks.beginWork();
      putModel(saved, defaultModelName(saved))
        .then(() => refresh())
        .catch((e: unknown) => setProblem(`The model could not be kept: ${message(e)}`))
        .finally(() => testHooks.endWork());
    },
    [refresh],
  );
  useImperativeHandle(handle, () => ({ keep }), [keep]);

  const loadFile = async (file: File) => {
    setFileError(null);
    testHooks.beginWork();
    try {
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch (e) {
        throw new Error(`${file.name} is not JSON: ${message(e)}`);
      }
      let saved: SavedForecaster;
      try {
        saved = parseSavedForecaster(json);
      } catch (e) {
        throw new Error(`${file.name} is not a saved forecaster: ${message(e)}`);
      }
      await putModel(saved, defaultModelName(saved));
      await refresh();
    } catch (e) {
      setFileError(message(e));
    } finally {
      testHooks.endWork();
    }
  };

  const remove = (id: number) => {
    testHooks.beginWork();
    deleteModel(id)
      .then(() => {
        setApplied((a) => (a.status !== 'idle' && a.id === id ? { status: 'idle' } : a));
        return refresh();
      })
      .catch((e: unknown) => setProblem(`The model could not be deleted: ${message(e)}`))
      .finally(() => testHooks.endWork());
  };

  const apply = (m: StoredModel) => {
    const run = ++applyRun.current;
    setApplied({ status: 'running', id: m.id });
    void onApply(m.saved).then((o) => {
      if (run !== applyRun.current) return;
      setApplied(o.ok ? { status: 'done', id: m.id, model: m, results: o.results } : { status: 'failed', id: m.id, message: o.message });
    });
  };

  // A result belongs to the bundle it was computed on: choosing another bundle clears it.
  useEffect(() => {
    applyRun.current++;
    setApplied({ status: 'idle' });
  }, [bundlePath]);

  const done = applied.status === 'done' ? applied : null;
  const option = useMemo(() => (done ? appliedOption(done.results, `${done.model.saved.model} predicted`) : null), [done]);

  return (
    <section className="card" data-testid="saved-models">
      <header className="card-header">
        <div>
          <h3>Saved models</h3>
          <p className="muted small">
            Trained LSTM/TCN forecasters kept in this browser (IndexedDB), or loaded from a downloaded <code>.json</code>. A model applies to any bundle with the series
            it was trained on, with its own normalisation; it runs on plain CPU, so the numbers match <code>applySavedForecaster</code> in Node.
          </p>
        </div>
        <JsonFileButton label="Load file…" testId="saved-load-file" inputTestId="saved-file-input" onFile={(f) => void loadFile(f)} />
      </header>
      {problem ? (
        <p className="error-text small" role="alert" data-testid="saved-problem">
          {problem}
        </p>
      ) : null}
      {fileError ? (
        <p className="error-text small" role="alert" data-testid="saved-file-error">
          {fileError}
        </p>
      ) : null}
      {models === null ? (
        problem ? null : <p className="muted small">Reading the kept models…</p>
      ) : models.length === 0 ? (
        <p className="muted small" data-testid="saved-empty">
          No model kept yet: run an experiment with an LSTM or TCN and keep one, or load a downloaded file.
        </p>
      ) : (
        <div className="fc-table-scroll">
          <table className="fc-table fc-saved-table small" data-testid="saved-list">
            <thead>
              <tr>
                <th>name</th>
                <th>trained on</th>
                <th>inputs</th>
                <th>h / k</th>
                <th>test RMSE</th>
                <th>kept</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} data-testid="saved-row" data-id={m.id} data-model={m.saved.model} data-created={m.saved.createdAt}>
                  <td>{m.name}</td>
                  <td>
                    <code>{m.saved.trainedOn.bundle}</code> ({m.saved.trainedOn.intervals} intervals)
                  </td>
                  <td title={m.saved.layout.featureIds.join(', ')}>
                    {m.saved.trainedOn.inputs} ({m.saved.layout.featureIds.length} series) → <code>{m.saved.layout.targetId}</code>
                  </td>
                  <td>
                    {m.saved.layout.horizon} / {m.saved.layout.history}
                  </td>
                  <td>{fmt(m.saved.metrics.rmse)}</td>
                  <td>{new Date(m.storedAt).toLocaleString()}</td>
                  <td>
                    <button type="button" className="small" disabled={busy || !bundlePath || applied.status === 'running'} onClick={() => apply(m)} data-testid="saved-apply">
                      Apply to the selected bundle
                    </button>{' '}
                    <button type="button" className="small" onClick={() => remove(m.id)} data-testid="saved-delete">
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {applied.status === 'running' ? (
        <p className="muted small" role="status" data-testid="saved-apply-status">
          Applying the model to <code>{bundlePath}</code>…
        </p>
      ) : null}
      {applied.status === 'failed' ? (
        <p className="error-text small" role="alert" data-testid="saved-apply-error">
          The model cannot be applied to <code>{bundlePath}</code>: {applied.message}
        </p>
      ) : null}
      {done && option ? (
        <>
          <p className="small" data-testid="saved-applied" data-rmse={done.results.rmse} data-windows={done.results.predicted.length} data-bundle={done.results.bundle}>
            {done.model.saved.model} (h={done.model.saved.layout.horizon}, k={done.model.saved.layout.history}) on <code>{done.results.bundle}</code>: RMSE{' '}
            <strong>{fmt(done.results.rmse)}</strong> {done.results.targetUnit} over {done.results.predicted.length} windows of {done.results.intervals} intervals (test RMSE
            where it was trained: {fmt(done.model.saved.metrics.rmse)}).
          </p>
          <div className="grid">
            <ChartCard
              id="forecast-applied"
              title={`Saved ${done.model.saved.model} on ${done.results.bundle}`}
              subtitle={`Actual vs predicted, ${done.model.saved.layout.horizon} interval${done.model.saved.layout.horizon === 1 ? '' : 's'} ahead, every window of the bundle`}
              option={option}
              theme={theme}
              height={320}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}
