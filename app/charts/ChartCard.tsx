import { useEffect, useRef, useState } from 'react';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { echarts, TIME_GROUP, timeCharts } from './echarts-setup.ts';
import { enqueueRender } from './render-queue.ts';
import { testHooks } from '../testing/test-hooks.ts';
import { cssVar, type Theme } from '../theme.ts';
import { keepColours, legendRows } from './series-style.ts';

export interface ZoomPercent {
  start: number;
  end: number;
}

interface Props {
  id: string;
  title: string;
  subtitle?: string;
  option: EChartsCoreOption;
  /** Series to show instead of option's (the zoomed detail); the axes and zoom stay as they are. */
  detailSeries?: unknown[] | undefined;
  theme: Theme;
  /** Join the shared time zoom and report zoom changes (percent of the axis). */
  timeAxis?: boolean;
  onZoom?: (zoom: ZoomPercent) => void;
  height?: number;
  /** What the chart shows in a sentence or two, for screen readers (the canvas itself says nothing). */
  summary?: string;
}

/** The names in a chart's legend, or null when it has none. */
function legendNames(option: EChartsCoreOption): string[] | null {
  // Only a plain legend wraps; a scrolling one (the labs' charts) keeps its one row.
  if ((option as { legend?: { type?: string } }).legend?.type !== 'plain') return null;
  return ((option as { series?: { name?: string }[] }).series ?? []).map((s) => s.name ?? '');
}

/** Series to draw: the zoomed detail in the colours the whole view gave each name, or the option's own. */
function seriesToDraw(option: EChartsCoreOption, detail: unknown[] | undefined): unknown[] {
  const base = (option as { series?: unknown[] }).series ?? [];
  return detail ? keepColours(detail, base) : base;
}

function downloadDataUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
}

export function ChartCard({ id, title, subtitle, option, detailSeries, theme, timeAxis = false, onZoom, height = 260, summary }: Props) {
  const el = useRef<HTMLDivElement>(null);
  // Extra legend rows beyond the first, at the chart's real width: the plot moves down and the card grows.
  const [extraRows, setExtraRows] = useState(0);
  const chart = useRef<ECharts | null>(null);
  const latest = useRef({ option, detailSeries, onZoom });
  latest.current = { option, detailSeries, onZoom };

  useEffect(() => {
    const dom = el.current;
    if (!dom) return;
    testHooks.chartPending(id);
    let instance: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    let cancelSeries = () => {};
    const cancel = enqueueRender(() => {
      const chartInstance = echarts.init(dom, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
      instance = chartInstance;
      chart.current = chartInstance;
      if (timeAxis) {
        chartInstance.group = TIME_GROUP;
        timeCharts.add(chartInstance);
      }
      chartInstance.on('datazoom', () => {
        const dz = (chartInstance.getOption() as { dataZoom?: { start?: number; end?: number }[] }).dataZoom?.[0];
        if (dz) latest.current.onZoom?.({ start: dz.start ?? 0, end: dz.end ?? 100 });
      });
      // Axes and legend in this frame, the data in the next: each step stays well under 100 ms.
      const { option: o } = latest.current;
      const names = legendNames(o);
      const fitLegend = () => {
        if (!names) return;
        const rows = legendRows(names, Math.max(200, dom.clientWidth - 16));
        const grid = (o as { grid?: object }).grid;
        chartInstance.setOption({ grid: { ...grid, top: 14 + 22 * rows } });
        setExtraRows(rows - 1);
      };
      chartInstance.setOption({ backgroundColor: 'transparent', animation: false, ...o, series: [] });
      fitLegend();
      cancelSeries = enqueueRender(() => {
        const { option: current, detailSeries: d } = latest.current;
        // Only now is the chart drawn with its data, which is what the idle hook waits for.
        chartInstance.on('finished', () => testHooks.chartRendered(id, chartInstance));
        chartInstance.setOption({ series: seriesToDraw(current, d) }, { replaceMerge: ['series'] });
      }, true);
      observer = new ResizeObserver(() => {
        fitLegend();
        chartInstance.resize();
      });
      observer.observe(dom);
    });
    return () => {
      cancel();
      cancelSeries();
      observer?.disconnect();
      if (instance) timeCharts.delete(instance);
      instance?.dispose();
      chart.current = null;
      testHooks.chartRemoved(id);
    };
    // The chart is rebuilt only for a new chart, theme or base option; zoom detail is patched in below.
  }, [id, option, theme, timeAxis]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    testHooks.chartPending(id);
    c.setOption({ series: seriesToDraw(option, detailSeries) }, { replaceMerge: ['series'] });
  }, [detailSeries, id, option]);

  const exportPng = () => {
    const c = chart.current;
    if (!c) return;
    // The picture carries its title (a PNG on its own says nothing about what it shows) and leaves out the zoom
    // slider, a control rather than data; both are put back at once.
    const titleOption = { text: subtitle ? `${title} — ${subtitle}` : title, left: 'center', top: 0, textStyle: { fontSize: 13 } };
    const grid = (c.getOption() as { grid?: { top?: number; bottom?: number }[] }).grid?.[0];
    const top = typeof grid?.top === 'number' ? grid.top : 36;
    // The slider's strip at the bottom is given back to the plot while it is left out.
    const bottom = typeof grid?.bottom === 'number' ? grid.bottom : 64;
    const slider = timeAxis ? 24 : 0;
    // Only a chart that has a legend gets it moved: setting one on a chart without would create it.
    const hasLegend = Boolean((option as { legend?: unknown }).legend);
    c.setOption({ title: titleOption, ...(hasLegend ? { legend: { top: 22 } } : {}), grid: { top: top + 18, bottom: bottom - slider } });
    const url = c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: cssVar('--bg') || '#fff', excludeComponents: ['dataZoom', 'toolbox'] });
    c.setOption({ title: { text: '' }, ...(hasLegend ? { legend: { top: 4 } } : {}), grid: { top, bottom } });
    downloadDataUrl(url, `${id.replace(/[^\w-]+/g, '_')}.png`);
  };

  return (
    <section className="card chart-card" data-testid={`chart-${id}`}>
      <header className="card-header">
        <div>
          <h3>{title}</h3>
          {subtitle ? <p className="muted small">{subtitle}</p> : null}
        </div>
        <button type="button" className="ghost small" onClick={exportPng} title="Download this chart as PNG" aria-label={`PNG of ${title} chart`}>
          PNG
        </button>
      </header>
      <div ref={el} className="chart" style={{ height: height + 22 * extraRows }} role="img" aria-label={`${title} chart`} />
      {summary ? (
        <p className="sr-only" data-testid={`chart-summary-${id}`}>
          {summary}
        </p>
      ) : null}
    </section>
  );
}
