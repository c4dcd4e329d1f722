import type { EChartsCoreOption } from 'echarts/core';
import type { Series, StackedCounts } from '../../core/overview/types.ts';

export interface TimeDomain {
  min: number;
  max: number;
}

function pairs(s: Series): [number, number][] {
  const out: [number, number][] = new Array(s.x.length);
  for (let i = 0; i < s.x.length; i++) out[i] = [s.x[i]!, s.y[i]!];
  return out;
}

// Every time chart gets the same axis extent and zoom controls, so the connected zoom lines them up.
function timeAxis(domain: TimeDomain) {
  return {
    type: 'value',
    min: domain.min,
    max: domain.max,
    name: 'seconds',
    nameLocation: 'middle',
    nameGap: 22,
    axisLabel: { showMaxLabel: false, formatter: (v: number) => `${Number(v.toPrecision(4))}` },
  };
}

const zoom = [
  { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
  { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 14, bottom: 6 },
];

const grid = { left: 64, right: 16, top: 36, bottom: 64 };

function valueAxis(name: string) {
  return { type: 'value', name, nameLocation: 'middle', nameGap: 46 };
}

export function lineOption(series: readonly Series[], domain: TimeDomain, yName: string, opts: { area?: boolean; max?: number } = {}): EChartsCoreOption {
  return {
    grid,
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => (typeof v === 'number' ? v.toPrecision(4) : String(v)) },
    legend: { type: 'scroll', top: 4, left: 8, right: 8 },
    xAxis: timeAxis(domain),
    yAxis: { ...valueAxis(yName), ...(opts.max !== undefined ? { max: opts.max } : {}) },
    dataZoom: zoom,
    series: series.map((s) => ({
      id: s.id,
      name: s.name,
      type: 'line',
      showSymbol: false,
      sampling: 'lttb',
      lineStyle: { width: 1.5 },
      ...(opts.area ? { areaStyle: { opacity: 0.15 } } : {}),
      data: pairs(s),
    })),
  };
}

export function stackedBarsOption(counts: StackedCounts, domain: TimeDomain, yName: string): EChartsCoreOption {
  return {
    grid,
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 4, left: 8, right: 8 },
    xAxis: timeAxis(domain),
    yAxis: valueAxis(yName),
    dataZoom: zoom,
    series: counts.series.map((s) => ({
      name: s.name,
      type: 'bar',
      stack: 'total',
      barWidth: '100%',
      large: true,
      data: Array.from(s.y, (v, i) => [counts.x[i]! + counts.bucketS / 2, v]),
    })),
  };
}

export function rankedBarsOption(items: readonly { label: string; value: number }[], valueName: string): EChartsCoreOption {
  const shown = [...items].reverse();
  return {
    grid: { left: 120, right: 24, top: 16, bottom: 28 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', name: valueName },
    yAxis: { type: 'category', data: shown.map((i) => i.label) },
    series: [{ name: valueName, type: 'bar', data: shown.map((i) => i.value) }],
  };
}
