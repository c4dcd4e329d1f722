import type { ForecastResults } from '../../../core/forecast/experiment.ts';
import type { ForecastRow } from '../../../core/forecast/types.ts';
import { csvCell } from '../../../core/overview/csv.ts';
import { typedArraysAsLists } from '../../../core/specs/results-json.ts';

/** Pure selections over the results that the charts, the table and the export share. */

export const BASELINES = ['persistence', 'moving-average', 'mean'] as const;
export const isBaseline = (model: string) => (BASELINES as readonly string[]).includes(model);

export function modelsOf(rows: readonly ForecastRow[]): string[] {
  return [...new Set(rows.map((r) => r.model))];
}

export function horizonsOf(results: ForecastResults): number[] {
  return [...results.spec.horizons];
}

export function historiesOf(results: ForecastResults): number[] {
  return [...results.spec.histories];
}

/**
 * A model's rows for an input set. Models that read only the target's history (persistence, moving average,
 * mean) run once, under the first set; they are the same for every set.
 */
export function rowsOf(rows: readonly ForecastRow[], model: string, inputs: string): ForecastRow[] {
  const own = rows.filter((r) => r.model === model && r.inputs === inputs);
  return own.length ? own : rows.filter((r) => r.model === model);
}

export function cell(rows: readonly ForecastRow[], horizon: number, history: number): ForecastRow | undefined {
  return rows.find((r) => r.horizon === horizon && r.history === history);
}

/**
 * At one horizon, the row whose history did best on *validation* (its test RMSE is what is reported): choosing
 * the history on the test split would flatter every model.
 */
export function chosenOnValidation(rows: readonly ForecastRow[], horizon: number): ForecastRow | undefined {
  let best: ForecastRow | undefined;
  for (const r of rows) {
    if (r.horizon !== horizon || !Number.isFinite(r.valRmse)) continue;
    if (!best || r.valRmse < best.valRmse || (r.valRmse === best.valRmse && r.history < best.history)) best = r;
  }
  return best;
}

/** The model a results view starts on: the first fitted model (the baselines are drawn beside it anyway). */
export function defaultModel(rows: readonly ForecastRow[]): string | null {
  const models = modelsOf(rows);
  return models.find((m) => !isBaseline(m)) ?? models[0] ?? null;
}

export function rowKey(r: Pick<ForecastRow, 'model' | 'inputs' | 'horizon' | 'history'>): string {
  return `${r.model}|${r.inputs}|h${r.horizon}|k${r.history}`;
}

const CSV_COLUMNS = ['model', 'inputs', 'horizon', 'history', 'n', 'rmse', 'mae', 'val_rmse', 'skill', 'target', 'bundle', 'seed', 'backend'] as const;


/** One line per model × inputs × horizon × history, the numbers unrounded; skill is against persistence. */
export function resultsCsv(r: ForecastResults): string {
  const lines: string[] = [CSV_COLUMNS.join(',')];
  for (const row of r.rows) {
    lines.push(
      [row.model, row.inputs, row.horizon, row.history, row.n, row.rmse, row.mae, row.valRmse, row.skill, r.target.id, r.spec.bundle.path, r.spec.seed, r.backend]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Results as JSON: typed arrays (the predictions) become plain arrays so the file reads anywhere. */
export function resultsJson(r: ForecastResults): unknown {
  return JSON.parse(JSON.stringify(r, typedArraysAsLists));
}
