import type { EChartsCoreOption } from 'echarts/core';
import type { Correlation, CounterexampleView, DependenceCurve, EpochPoint, RoundSummary, VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import type { MetricInfo } from '../../../core/verified-lab/dataset.ts';
import { html } from '../../../core/text/escape-html.ts';
import { fmt, fmtShare, pct } from './format.ts';

/** A metric as the charts label it: its name and unit (both from the bundle, so escaped wherever they become HTML). */
export function metricLabel(m: Pick<MetricInfo, 'name' | 'unit' | 'id'> | undefined, fallback = ''): string {
  return m ? `${m.name}${m.unit ? ` (${m.unit})` : ''}` : fallback;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);
const valueFormatter = (v: unknown) => (typeof v === 'number' ? fmt(v) : String(v ?? '–'));

/**
 * vPALs Figure 2 for one service: Pearson and Spearman of each metric with the latency target, with the figure's
 * reference lines at 0.5 and 0. A metric whose correlation is undefined (constant over the rows) has no bar.
 */
export function correlationOption(rows: readonly Correlation[], metrics: readonly MetricInfo[]): EChartsCoreOption {
  const byId = new Map(metrics.map((m) => [m.id, m]));
  // Strongest first (by |Spearman|, then |Pearson|), drawn top-down.
  const sorted = [...rows].sort((a, b) => strength(b) - strength(a));
  const labels = sorted.map((c) => metricLabel(byId.get(c.metric), c.metric));
  return {
    grid: { left: 8, right: 24, top: 32, bottom: 28, containLabel: true },
    legend: { top: 4, left: 8 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: { dataIndex: number; seriesName: string; value: number | null }[]) => {
        const c = sorted[ps[0]?.dataIndex ?? 0];
        if (!c) return '';
        return html`${labels[ps[0]!.dataIndex]}<br/>${c.metric}<br/>Pearson ${fmt(c.pearson)} · Spearman ${fmt(c.spearman)} · ${c.n} rows`;
      },
    },
    xAxis: { type: 'value', min: -1, max: 1, name: 'correlation with latency', nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: 'category', inverse: true, data: labels, axisLabel: { width: 260, overflow: 'truncate' } },
    series: [
      {
        name: 'Pearson',
        type: 'bar',
        data: sorted.map((c) => finiteOrNull(c.pearson)),
        markLine: {
          silent: true,
          symbol: 'none',
          label: { show: false },
          data: [
            { xAxis: 0.5, lineStyle: { color: '#d9534f', type: 'dashed' } },
            { xAxis: 0, lineStyle: { color: '#2f6fde' } },
          ],
        },
      },
      { name: 'Spearman', type: 'bar', data: sorted.map((c) => finiteOrNull(c.spearman)) },
    ],
  };
}

function strength(c: Correlation): number {
  const s = Number.isFinite(c.spearman) ? Math.abs(c.spearman) : -1;
  const p = Number.isFinite(c.pearson) ? Math.abs(c.pearson) : -1;
  return Math.max(s, p);
}

/** Pearson of every metric with latency for every service at once (vPALs Figure 2 across applications). */
export function correlationHeatmapOption(rows: readonly Correlation[], metrics: readonly MetricInfo[], services: readonly string[], dark: boolean): EChartsCoreOption {
  const ids = metrics.map((m) => m.id).filter((id) => rows.some((c) => c.metric === id));
  const labels = ids.map((id) => metricLabel(metrics.find((m) => m.id === id), id));
  const data: [number, number, number | null][] = [];
  for (const c of rows) {
    const x = services.indexOf(c.service);
    const y = ids.indexOf(c.metric);
    if (x >= 0 && y >= 0) data.push([x, y, finiteOrNull(c.pearson)]);
  }
  return {
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    tooltip: { formatter: (p: { value: [number, number, number | null] }) => html`${services[p.value[0]]} · ${labels[p.value[1]]}<br/>Pearson ${fmt(p.value[2] ?? Number.NaN)}` },
    xAxis: { type: 'category', data: [...services], splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: labels, axisLabel: { width: 260, overflow: 'truncate' }, splitArea: { show: true } },
    visualMap: {
      min: -1,
      max: 1,
      dimension: 2,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 140,
      text: ['+1', '−1'],
      inRange: { color: dark ? ['#3d6fcf', '#1a2333', '#e07a5f'] : ['#2f6fde', '#f4f4f4', '#c53030'] },
    },
    series: [{ name: 'Pearson', type: 'heatmap', data, label: { show: data.length <= 120, formatter: (p: { value: [number, number, number | null] }) => (p.value[2] === null ? '' : p.value[2].toFixed(2)) } }],
  };
}

/** Axes of the loss chart (the series come separately, so the live chart is patched rather than rebuilt). */
export function lossBaseOption(): EChartsCoreOption {
  return {
    grid: { left: 56, right: 24, top: 40, bottom: 40 },
    legend: { top: 4, left: 8, right: 8, type: 'scroll' },
    tooltip: { trigger: 'axis', valueFormatter },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1, min: 0 },
    yAxis: { type: 'value', name: 'loss (normalised target)', nameLocation: 'middle', nameGap: 44 },
    series: [],
  };
}

const ROUND_COLOURS: Record<string, string> = { verified: '#2f9e5b', falsified: '#d9534f', unknown: '#d4a017', 'not-proven': '#d4a017' };

/**
 * vPALs Figure 5: the training MSE and the counterexample penalty per epoch, a yellow band where the verifier ran
 * (at the end of each round's epochs), a line labelled with its verdict and the share of the box proven, and the
 * same rounds as points on the MSE curve (so the data says where the verifier ran).
 */
export function lossSeries(epochs: readonly EpochPoint[], rounds: readonly RoundSummary[] = []): unknown[] {
  const total = epochs.at(-1)?.epoch ?? 1;
  const half = Math.max(0.5, total * 0.006);
  const mseAt = new Map(epochs.map((e) => [e.epoch, e.mse]));
  const series: unknown[] = [
    {
      name: 'MSE (training)',
      type: 'line',
      showSymbol: false,
      data: epochs.map((e) => [e.epoch, e.mse]),
      ...(rounds.length
        ? {
            markArea: {
              silent: true,
              itemStyle: { color: 'rgba(236, 201, 75, 0.35)' },
              data: rounds.map((r) => [{ xAxis: r.epochs - half }, { xAxis: r.epochs + half }]),
            },
            markLine: {
              silent: true,
              symbol: 'none',
              label: { position: 'insideEndTop', fontSize: 10, formatter: (p: { name: string }) => p.name },
              data: rounds.map((r) => ({
                name: `round ${r.round}: ${r.status}, ${pct(r.verifiedVolume, 0)} proven`,
                xAxis: r.epochs,
                lineStyle: { color: ROUND_COLOURS[r.status] ?? '#888', type: 'dashed' },
              })),
            },
          }
        : {}),
    },
    { name: 'pair penalty', type: 'line', showSymbol: false, lineStyle: { type: 'dashed' }, data: epochs.map((e) => [e.epoch, e.penalty]) },
  ];
  if (rounds.length) {
    series.push({
      name: 'verifier ran',
      type: 'scatter',
      symbolSize: 10,
      data: rounds.map((r) => ({ value: [r.epochs, mseAt.get(r.epochs) ?? null, r.round], itemStyle: { color: ROUND_COLOURS[r.status] ?? '#888' }, status: r.status })),
      tooltip: {
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => {
          const r = rounds[p.dataIndex]!;
          return html`round ${r.round} at epoch ${r.epochs}: ${r.status}<br/>${pct(r.verifiedVolume)} of the box proven in ${r.seconds.toFixed(1)} s<br/>${r.pairs} counterexample pairs in training`;
        },
      },
    });
  }
  return series;
}

/** vPALs Figure 6: accuracy of both networks on train and test, and the share of counterexample pairs each orders as the spec wants. */
export function figure6Option(r: VerifiedResults): EChartsCoreOption {
  const sets = r.figure6;
  const label = { show: true, position: 'top', fontSize: 10, formatter: (p: { value: number | null }) => (p.value === null ? '' : `${p.value.toFixed(1)}%`) };
  return {
    grid: { left: 56, right: 16, top: 40, bottom: 40 },
    legend: { top: 4, left: 8 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : 'no pairs') },
    xAxis: { type: 'category', data: sets.map((s) => `${s.set} (n=${s.n})`), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', min: 0, max: 100, name: 'accuracy (%)', nameLocation: 'middle', nameGap: 36 },
    series: [
      { name: 'unverified', type: 'bar', label, data: sets.map((s) => (Number.isFinite(s.unverified) ? s.unverified * 100 : null)) },
      { name: 'verified', type: 'bar', label, data: sets.map((s) => (Number.isFinite(s.verified) ? s.verified * 100 : null)) },
    ],
  };
}

/**
 * The partial dependence along the violated input through a pair: both final networks' predictions as that input
 * sweeps the box with every other input held at the pair's values; the pair itself as found (on the network the
 * verifier was checking then), with the step between its two points shaded.
 */
export function dependenceOption(curve: DependenceCurve, c: CounterexampleView, d: number, inputLabel: string): EChartsCoreOption {
  const xLo = c.lo[d]!;
  const xHi = c.hi[d]!;
  return {
    grid: { left: 64, right: 24, top: 64, bottom: 44 },
    legend: { top: 4, left: 8, right: 8 },
    tooltip: { trigger: 'axis', valueFormatter },
    xAxis: { type: 'value', name: inputLabel, nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: 'value', name: 'predicted latency (µs)', nameLocation: 'middle', nameGap: 50, scale: true },
    series: [
      {
        name: 'unverified network',
        type: 'line',
        showSymbol: false,
        data: curve.x.map((x, i) => [x, curve.unverified[i]!]),
        markArea: { silent: true, itemStyle: { color: 'rgba(217, 83, 79, 0.12)' }, data: [[{ xAxis: Math.min(xLo, xHi) }, { xAxis: Math.max(xLo, xHi) }]] },
      },
      { name: 'verified network', type: 'line', showSymbol: false, data: curve.x.map((x, i) => [x, curve.verified[i]!]) },
      {
        name: `pair (${c.foundOn})`,
        type: 'line',
        symbol: 'circle',
        symbolSize: 9,
        lineStyle: { type: 'dotted', width: 2 },
        data: [
          [xLo, c.fLo],
          [xHi, c.fHi],
        ],
      },
      ...regionSeries(c, d),
    ],
  };
}

/**
 * The pair on the data: the test rows' latency against the violated input (truth and both networks' predictions),
 * with the pair drawn as a segment from its lower (dot) to its higher (diamond) point.
 */
export function pairDataOption(r: VerifiedResults, c: CounterexampleView, d: number, inputLabel: string): EChartsCoreOption {
  const tp = r.testPoints;
  const xs = tp.inputs.map((row) => row[d]!);
  return {
    grid: { left: 64, right: 24, top: 64, bottom: 44 },
    legend: { top: 4, left: 8, right: 8 },
    tooltip: { trigger: 'item', formatter: (p: { seriesName: string; value: number[] }) => html`${p.seriesName}<br/>${fmt(p.value[0]!)} → ${fmt(p.value[1]!)} µs` },
    xAxis: { type: 'value', name: inputLabel, nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: 'value', name: `${r.target.id.replace('_us', '')} latency (µs)`, nameLocation: 'middle', nameGap: 50, scale: true },
    series: [
      { name: 'test truth', type: 'scatter', symbolSize: 5, data: xs.map((x, i) => [x, tp.truth[i]!]) },
      { name: 'unverified prediction', type: 'scatter', symbolSize: 4, data: xs.map((x, i) => [x, tp.unverified[i]!]) },
      { name: 'verified prediction', type: 'scatter', symbolSize: 4, data: xs.map((x, i) => [x, tp.verified[i]!]) },
      {
        name: 'counterexample pair',
        type: 'line',
        // The lower point a dot, the higher a diamond, each labelled.
        symbol: (_v: unknown, p: { dataIndex: number }) => (p.dataIndex === 0 ? 'circle' : 'diamond'),
        symbolSize: 11,
        label: { show: true, position: 'top', fontSize: 10, formatter: (p: { dataIndex: number }) => (p.dataIndex === 0 ? 'lo' : 'hi') },
        lineStyle: { width: 2.5, color: '#d9534f' },
        itemStyle: { color: '#d9534f' },
        z: 10,
        data: [
          [c.lo[d]!, c.fLo],
          [c.hi[d]!, c.fHi],
        ],
      },
      ...regionSeries(c, d),
    ],
  };
}

/**
 * The pair's violation region along the violated input, as a hatched band: there the network found the pair on
 * provably falls the wrong way, with every other input anywhere in the region's ranges too (the detail table lists
 * them). An empty series carries it so the legend can toggle it.
 */
function regionSeries(c: CounterexampleView, d: number): object[] {
  if (!c.region) return [];
  const lo = c.region.lo[d]!;
  const hi = c.region.hi[d]!;
  return [
    {
      name: `violation region (${fmtShare(c.region.volume)} of the box)`,
      type: 'line',
      data: [],
      itemStyle: { color: '#e8a33d' },
      markArea: { silent: true, itemStyle: { color: 'rgba(232, 163, 61, 0.22)', borderColor: '#e8a33d', borderWidth: 1, borderType: 'dashed' }, data: [[{ xAxis: lo }, { xAxis: hi }]] },
    },
  ];
}
