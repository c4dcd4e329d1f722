import { useEffect, useRef } from 'react';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { echarts, TIME_GROUP } from './echarts-setup.ts';
import { enqueueRender } from './render-queue.ts';
import { testHooks } from '../testing/test-hooks.ts';
import { cssVar, type Theme } from '../theme.ts';

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
}

function downloadDataUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
}

export function ChartCard({ id, title, subtitle, option, detailSeries, theme, timeAxis = false, onZoom, height = 260 }: Props) {
  const el = useRef<HTMLDivElement>(null);
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
      if (timeAxis) chartInstance.group = TIME_GROUP;
      chartInstance.on('datazoom', () => {
        const dz = (chartInstance.getOption() as { dataZoom?: { start?: number; end?: number }[] }).dataZoom?.[0];
        if (dz) latest.current.onZoom?.({ start: dz.start ?? 0, end: dz.end ?? 100 });
      });
      // Axes and legend in this frame, the data in the next: each step stays well under 100 ms.
      const { option: o } = latest.current;
      chartInstance.setOption({ backgroundColor: 'transparent', animation: false, ...o, series: [] });
      cancelSeries = enqueueRender(() => {
        const { option: current, detailSeries: d } = latest.current;
        // Only now is the chart drawn with its data, which is what the idle hook waits for.
        chartInstance.on('finished', () => testHooks.chartRendered(id, chartInstance));
        chartInstance.setOption({ series: d ?? (current as { series?: unknown[] }).series ?? [] }, { replaceMerge: ['series'] });
      });
      observer = new ResizeObserver(() => chartInstance.resize());
      observer.observe(dom);
    });
    return () => {
      cancel();
      cancelSeries();
      observer?.disconnect();
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
    c.setOption({ series: detailSeries ?? (option as { series?: unknown[] }).series ?? [] }, { replaceMerge: ['series'] });
  }, [detailSeries, id, option]);

  const exportPng = () => {
    const c = chart.current;
    if (!c) return;
    downloadDataUrl(c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: cssVar('--bg') || '#fff' }), `${id.replace(/[^\w-]+/g, '_')}.png`);
  };

  return (
    <section className="card chart-card" data-testid={`chart-${id}`}>
      <header className="card-header">
        <div>
          <h3>{title}</h3>
          {subtitle ? <p className="muted small">{subtitle}</p> : null}
        </div>
        <button type="button" className="ghost small" onClick={exportPng} title="Download this chart as PNG">
          PNG
        </button>
      </header>
      <div ref={el} className="chart" style={{ height }} />
    </section>
  );
}
