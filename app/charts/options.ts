import type { EChartsCoreOption } from 'echarts/core';
import type { Series, StackedCounts } from '../../core/overview/types.ts';
import { legendRows, seriesColours } from './series-style.ts';

export interface TimeDomain {
  min: number;
  max: number;
}

function pairs(s: Series): [number, number][] {
  const out: [number, number][] = new Array(s.x.length);
  for (let i = 0; i < s.x.length; i++) out[i] = [s.x[i]!, s.y[i]!];
  return out;
}

/** A tick value with no float noise (0.30000000000000004 → 0.3) and at most 4 significant digits. */
export function tickText(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1).replace('e+', 'e');
  return `${Number(v.toPrecision(4))}`;
}

/**
 * A time tick in seconds: as many digits as the tick has (ECharts places ticks on round multiples of the step), so
 * ticks 122 µs apart read 7.32362 and 7.32364 rather than all 7.324; float noise is still dropped.
 */
export function timeTickText(v: number): string {
  if (v === 0) return '0';
  return `${Number(v.toPrecision(12))}`;
}

// Every time chart gets the same axis extent and zoom controls, so the connected zoom lines them up. A zoomed
// axis starts and ends where the zoom does (4.882 s), not on a tick: those two labels are hidden, the nice ticks
// between them are not.
function timeAxis(domain: TimeDomain) {
  return {
    type: 'value',
    min: domain.min,
    max: domain.max,
    name: 'seconds',
    nameLocation: 'middle',
    nameGap: 22,
    axisLabel: { showMinLabel: false, showMaxLabel: false, hideOverlap: true, formatter: timeTickText },
  };
}

const zoom = [
  { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
  { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 14, bottom: 6 },
];

/** Room at the top for every legend row: a plain legend wraps instead of paging lines out of sight. */
function gridFor(names: readonly string[]) {
  return { left: 64, right: 16, top: 14 + 22 * legendRows(names), bottom: 64 };
}

// A plain legend wraps onto as many rows as it needs, so every line stays named and clickable.
const legend = { type: 'plain', top: 4, left: 8, right: 8, itemGap: 8, itemWidth: 18, itemHeight: 10 };

function valueAxis(name: string) {
  return { type: 'value', name, nameLocation: 'middle', nameGap: 46, axisLabel: { formatter: tickText } };
}

export function lineOption(series: readonly Series[], domain: TimeDomain, yName: string, opts: { area?: boolean; max?: number } = {}): EChartsCoreOption {
  const colours = seriesColours(series.map((s) => s.name));
  return {
    grid: gridFor(series.map((s) => s.name)),
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? v.toPrecision(4) : String(v)) },
    legend,
    xAxis: timeAxis(domain),
    yAxis: { ...valueAxis(yName), ...(opts.max !== undefined ? { max: opts.max } : {}) },
    dataZoom: zoom,
    series: series.map((s) => ({
      id: s.id,
      name: s.name,
      type: 'line',
      showSymbol: false,
      sampling: 'lttb',
      color: colours.get(s.name),
      lineStyle: { width: 1.5 },
      ...(opts.area ? { areaStyle: { opacity: 0.15 } } : {}),
      data: pairs(s),
    })),
  };
}

export function stackedBarsOption(counts: StackedCounts, domain: TimeDomain, yName: string): EChartsCoreOption {
  const colours = seriesColours(counts.series.map((s) => s.name));
  return {
    grid: gridFor(counts.series.map((s) => s.name)),
    tooltip: { trigger: 'axis' },
    legend,
    xAxis: timeAxis(domain),
    yAxis: valueAxis(yName),
    dataZoom: zoom,
    series: counts.series.map((s) => ({
      name: s.name,
      type: 'bar',
      stack: 'total',
      barWidth: '100%',
      large: true,
      color: colours.get(s.name),
      data: Array.from(s.y, (v, i) => [counts.x[i]! + counts.bucketS / 2, v]),
    })),
  };
}

export function rankedBarsOption(items: readonly { label: string; value: number }[], valueName: string): EChartsCoreOption {
  const shown = [...items].reverse();
  return {
    grid: { left: 120, right: 24, top: 16, bottom: 28 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', name: valueName, axisLabel: { formatter: tickText } },
    yAxis: { type: 'category', data: shown.map((i) => i.label) },
    series: [{ name: valueName, type: 'bar', data: shown.map((i) => i.value) }],
  };
}
