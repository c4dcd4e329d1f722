import type { EChartsCoreOption } from 'echarts/core';
import type { ForecastResults } from '../../../core/forecast/experiment.ts';
import { SYSCALL_KIND_LABELS, SYSCALL_KINDS } from '../../../core/embeddings/syscall-kinds.ts';
import { html } from '../../../core/text/escape-html.ts';
import { cell, chosenOnValidation, historiesOf, horizonsOf, isBaseline, modelsOf, rowsOf } from './forecast-results.ts';
import { modelLabel } from './spec-form.ts';

/** "name (unit)", or the name alone for a unitless series (an imported CSV column has none). */
export function withUnit(text: string, unit: string): string {
  return unit ? `${text} (${unit})` : text;
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : '–');
const valueFormatter = (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v));

/**
 * Test RMSE over horizon (rows) × history (columns) for one model and input set: one cell per grid point; a
 * cell the model could not run (too few examples) is left empty.
 */
export function heatmapOption(r: ForecastResults, model: string, inputs: string, dark: boolean): EChartsCoreOption {
  const rows = rowsOf(r.rows, model, inputs);
  const horizons = horizonsOf(r);
  const histories = historiesOf(r);
  const data: [number, number, number][] = [];
  horizons.forEach((h, y) =>
    histories.forEach((k, x) => {
      const c = cell(rows, h, k);
      if (c && Number.isFinite(c.rmse)) data.push([x, y, c.rmse]);
    }),
  );
  const values = data.map((d) => d[2]);
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  return {
    grid: { left: 64, right: 24, top: 16, bottom: 76 },
    // The unit is the bundle's (a counter's unit as the tool reported it): escaped, since ECharts sets this as HTML.
    tooltip: { formatter: (p: { value: [number, number, number] }) => html`horizon ${horizons[p.value[1]]}, history ${histories[p.value[0]]}<br/>test RMSE ${fmt(p.value[2])} ${r.target.unit}` },
    xAxis: { type: 'category', data: histories.map(String), name: 'history k (intervals)', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } },
    yAxis: { type: 'category', data: horizons.map(String), name: 'horizon h', nameLocation: 'middle', nameGap: 36, splitArea: { show: true } },
    visualMap: {
      min,
      max: max > min ? max : min + 1e-9,
      dimension: 2,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      text: [`${fmt(max)} (worse)`, fmt(min)],
      inRange: { color: dark ? ['#a9c7ff', '#3d6fcf', '#1a2333'] : ['#0b2f73', '#2f6fde', '#eef3fc'] },
    },
    series: [{ name: `${modelLabel(model)} test RMSE`, type: 'heatmap', data, label: { show: data.length <= 64, formatter: (p: { value: number[] }) => fmt(p.value[2]!) } }],
  };
}

/**
 * The seed's Figure 2: test RMSE against horizon, one line per history length for one model, with persistence
 * and the moving average (its window chosen on validation at each horizon) on the same axes.
 */
export function horizonCurvesOption(r: ForecastResults, model: string, inputs: string): EChartsCoreOption {
  const horizons = horizonsOf(r);
  const rows = rowsOf(r.rows, model, inputs);
  const series: unknown[] = historiesOf(r).map((k) => ({
    name: `${modelLabel(model)} k=${k}`,
    type: 'line',
    symbolSize: 6,
    data: horizons.map((h) => cell(rows, h, k)?.rmse ?? null),
  }));
  const persistence = r.rows.filter((x) => x.model === 'persistence');
  if (model !== 'persistence' && persistence.length) {
    // Persistence reads only the last value: its error at a horizon is the same for every history.
    series.push({ name: 'persistence', type: 'line', lineStyle: { type: 'dashed', width: 2 }, symbol: 'diamond', symbolSize: 7, data: horizons.map((h) => persistence.find((x) => x.horizon === h)?.rmse ?? null) });
  }
  const ma = r.rows.filter((x) => x.model === 'moving-average');
  if (model !== 'moving-average' && ma.length) {
    series.push({ name: 'moving average (k chosen on validation)', type: 'line', lineStyle: { type: 'dotted', width: 2 }, symbol: 'triangle', symbolSize: 7, data: horizons.map((h) => chosenOnValidation(ma, h)?.rmse ?? null) });
  }
  return {
    grid: { left: 64, right: 16, top: 40, bottom: 40 },
    tooltip: { trigger: 'axis', valueFormatter },
    legend: { type: 'scroll', top: 4, left: 8, right: 8 },
    xAxis: { type: 'category', data: horizons.map(String), name: 'horizon h (intervals ahead)', nameLocation: 'middle', nameGap: 26, boundaryGap: false },
    yAxis: { type: 'value', name: withUnit('test RMSE', r.target.unit), nameLocation: 'middle', nameGap: 46, scale: true },
    series,
  };
}

/**
 * The ablation: for each fitted model and horizon, the test RMSE of the history chosen on validation, one bar per
 * input set (with and without syscall inputs, and so on).
 */
export function ablationOption(r: ForecastResults): EChartsCoreOption {
  const sets = r.inputSets.map((s) => s.name);
  const models = modelsOf(r.rows).filter((m) => !isBaseline(m));
  const horizons = horizonsOf(r);
  const categories = models.flatMap((m) => horizons.map((h) => `${modelLabel(m)} h=${h}`));
  return {
    grid: { left: 64, right: 16, top: 40, bottom: 64 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter },
    legend: { type: 'scroll', top: 4, left: 8, right: 8 },
    xAxis: { type: 'category', data: categories, axisLabel: { rotate: categories.length > 8 ? 35 : 0, interval: 0 } },
    yAxis: { type: 'value', name: withUnit('test RMSE', r.target.unit), nameLocation: 'middle', nameGap: 46 },
    series: sets.map((set) => ({
      name: set,
      type: 'bar',
      data: models.flatMap((m) => {
        const rows = r.rows.filter((x) => x.model === m && x.inputs === set);
        return horizons.map((h) => chosenOnValidation(rows, h)?.rmse ?? null);
      }),
    })),
  };
}

/** Actual against every model's prediction on the test span of the kept cell, in seconds from the start. */
export function predictionsOption(r: ForecastResults): EChartsCoreOption {
  const p = r.predictions!;
  const pairs = (ys: Float32Array) => Array.from(ys, (y, i) => [p.tS[i]!, y]);
  return {
    grid: { left: 64, right: 16, top: 40, bottom: 64 },
    tooltip: { trigger: 'axis', valueFormatter },
    legend: { type: 'scroll', top: 4, left: 8, right: 8 },
    xAxis: { type: 'value', name: 'seconds', nameLocation: 'middle', nameGap: 24, scale: true },
    yAxis: { type: 'value', name: withUnit(r.target.name, r.target.unit), nameLocation: 'middle', nameGap: 46, scale: true },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 14, bottom: 6 },
    ],
    series: [
      { name: 'actual', type: 'line', symbolSize: 4, lineStyle: { width: 3 }, data: pairs(p.actual) },
      ...p.models.map((m) => ({ name: modelLabel(m.model), type: 'line', showSymbol: false, lineStyle: { width: 1.5, ...(isBaseline(m.model) ? { type: 'dashed' } : {}) }, data: pairs(m.predicted) })),
    ],
  };
}

/** PCA of the syscall vectors, one scatter series per kind; the most frequent calls are labelled. */
export interface EmbeddingPoints {
  readonly tokens: readonly string[];
  readonly kinds: readonly string[];
  readonly counts: ArrayLike<number>;
  readonly points: Float64Array;
  readonly explained: readonly [number, number];
}

export function embeddingOption(e: EmbeddingPoints, highlight: number | null): EChartsCoreOption {
  const byCount = e.tokens.map((_, i) => i).sort((a, b) => e.counts[b]! - e.counts[a]!);
  const labelled = new Set(byCount.slice(0, 25));
  if (highlight !== null) labelled.add(highlight);
  const kinds = SYSCALL_KINDS.filter((k) => e.kinds.includes(k));
  const maxLog = Math.log1p(Math.max(1, ...Array.from(e.counts)));
  return {
    grid: { left: 48, right: 16, top: 40, bottom: 40 },
    // Syscall names come from the bundle: escaped, since ECharts sets this as HTML.
    tooltip: { formatter: (p: { value: [number, number, string, number] }) => html`<b>${p.value[2]}</b><br/>${p.value[3].toLocaleString('en-US')} calls` },
    legend: { type: 'scroll', top: 4, left: 8, right: 8 },
    xAxis: { type: 'value', name: `PC1 (${(e.explained[0] * 100).toFixed(0)}%)`, nameLocation: 'middle', nameGap: 24, scale: true },
    yAxis: { type: 'value', name: `PC2 (${(e.explained[1] * 100).toFixed(0)}%)`, nameLocation: 'middle', nameGap: 32, scale: true },
    series: kinds.map((k) => ({
      name: SYSCALL_KIND_LABELS[k],
      type: 'scatter',
      symbolSize: (v: [number, number, string, number]) => 6 + (10 * Math.log1p(v[3])) / maxLog,
      label: { show: true, position: 'right', fontSize: 10, formatter: (p: { dataIndex: number; value: [number, number, string, number] }) => p.value[2] },
      labelLayout: { hideOverlap: true },
      data: e.tokens
        .map((t, i) => ({ t, i }))
        .filter(({ i }) => e.kinds[i] === k)
        .map(({ t, i }) => ({
          value: [e.points[2 * i]!, e.points[2 * i + 1]!, t, e.counts[i]!],
          label: { show: labelled.has(i) },
          ...(i === highlight ? { itemStyle: { borderColor: '#e5484d', borderWidth: 3 } } : {}),
        })),
    })),
  };
}

/** Loss per epoch of the neural models at one cell and input set: train solid, validation dashed (normalised target). */
export function lossOption(r: ForecastResults, inputs: string, horizon: number, history: number): EChartsCoreOption {
  const rows = r.rows.filter((x) => x.training && x.inputs === inputs && x.horizon === horizon && x.history === history);
  return {
    grid: { left: 64, right: 16, top: 40, bottom: 40 },
    tooltip: { trigger: 'axis', valueFormatter },
    legend: { type: 'scroll', top: 4, left: 8, right: 8 },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1, min: 1 },
    yAxis: { type: 'value', name: 'MSE (normalised target)', nameLocation: 'middle', nameGap: 46, scale: true },
    series: rows.flatMap((x) => [
      { name: `${modelLabel(x.model)} train`, type: 'line', showSymbol: false, data: x.training!.history.map((e) => [e.epoch, e.trainLoss]) },
      {
        name: `${modelLabel(x.model)} validation`,
        type: 'line',
        showSymbol: false,
        lineStyle: { type: 'dashed' },
        data: x.training!.history.map((e) => [e.epoch, e.valLoss]),
        markPoint: { symbolSize: 36, label: { fontSize: 9, formatter: 'kept' }, data: [{ coord: [x.training!.bestEpoch, x.training!.history.find((e) => e.epoch === x.training!.bestEpoch)?.valLoss ?? 0] }] },
      },
    ]),
  };
}
