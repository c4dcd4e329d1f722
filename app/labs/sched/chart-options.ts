import type { EChartsCoreOption } from 'echarts/core';
import type { SchedResultRow } from '../../../core/sched-lab/experiment.ts';
import type { Confusion } from '../../../core/sched-lab/metrics.ts';
import { html } from '../../../core/text/escape-html.ts';

/** Class id → name for the confusion axes; -1 is every class outside the most common ones. */
export function confusionLabels(c: Confusion, classNames: readonly string[]): string[] {
  return c.classes.map((id) => (id === -1 ? 'rest' : (classNames[id] ?? `class ${id}`)));
}

/**
 * Rows are the true class, columns the prediction. Colour is the share of the true class's positions (so a
 * rare class's mistakes show as clearly as a common one's); the tooltip gives the count.
 */
export function confusionOption(c: Confusion, classNames: readonly string[], dark: boolean): EChartsCoreOption {
  const labels = confusionLabels(c, classNames);
  const data: [number, number, number, number][] = [];
  c.counts.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    row.forEach((n, p) => {
      if (n > 0) data.push([p, t, total ? n / total : 0, n]);
    });
  });
  return {
    grid: { left: 130, right: 24, top: 16, bottom: 110 },
    tooltip: {
      formatter: (x: { value: [number, number, number, number] }) =>
        // Class names are task names from the bundle (and "<idle>"): escaped, since ECharts sets this as HTML.
        html`true ${labels[x.value[1]]} → predicted ${labels[x.value[0]]}<br/>${x.value[3].toLocaleString('en-US')} positions (${(x.value[2] * 100).toFixed(1)}% of the true class)`,
    },
    xAxis: { type: 'category', data: labels, name: 'predicted', nameLocation: 'middle', nameGap: 90, axisLabel: { rotate: 40, interval: 0 }, splitArea: { show: true } },
    yAxis: { type: 'category', data: labels, name: 'true', inverse: true, axisLabel: { interval: 0 }, splitArea: { show: true } },
    visualMap: { min: 0, max: 1, dimension: 2, calculable: false, orient: 'horizontal', right: 8, bottom: 0, itemHeight: 80, text: ['100%', '0'], inRange: { color: dark ? ['#1a2333', '#3d6fcf', '#a9c7ff'] : ['#eef3fc', '#2f6fde', '#0b2f73'] } },
    series: [{ name: 'share of true class', type: 'heatmap', data, label: { show: data.length <= 80, formatter: (x: { value: number[] }) => `${Math.round(x.value[2]! * 100)}` } }],
  };
}

/** Training and validation loss per epoch, two lines per model (validation dashed). */
export function lossOption(rows: readonly SchedResultRow[]): EChartsCoreOption {
  const models = rows.filter((r) => r.training);
  return {
    grid: { left: 56, right: 16, top: 36, bottom: 40 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? v.toFixed(4) : String(v)) },
    legend: { type: 'scroll', top: 4, left: 8, right: 8 },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 24, minInterval: 1, min: 1 },
    yAxis: { type: 'value', name: 'cross-entropy', nameLocation: 'middle', nameGap: 40 },
    series: models.flatMap((r) => [
      { name: `${r.name} train`, type: 'line', data: r.training!.history.map((e) => [e.epoch, e.trainLoss]) },
      { name: `${r.name} validation`, type: 'line', lineStyle: { type: 'dashed' }, data: r.training!.history.map((e) => [e.epoch, e.valLoss]) },
    ]),
  };
}
