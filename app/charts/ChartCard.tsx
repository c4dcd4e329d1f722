import { useEffect, useRef } from 'react';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { echarts, TIME_GROUP } from './echarts-setup.ts';
import { enqueueRender } from './render-queue.ts';
import { testHooks } from '../testing/test-hooks.ts';
import { cssVar, type Theme } from '../theme.ts';

interface Props {
  id: string;
  title: string;
  subtitle?: string;
  option: EChartsCoreOption;
  theme: Theme;
  /** Join the shared time zoom. */
  timeAxis?: boolean;
  height?: number;
}

function downloadDataUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
}

export function ChartCard({ id, title, subtitle, option, theme, timeAxis = false, height = 260 }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const dom = el.current;
    if (!dom) return;
    testHooks.chartPending(id);
    let instance: ECharts | null = null;
    let observer: ResizeObserver | null = null;
    const cancel = enqueueRender(() => {
      instance = echarts.init(dom, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
      chart.current = instance;
      if (timeAxis) instance.group = TIME_GROUP;
      instance.on('finished', () => testHooks.chartRendered(id, instance!));
      instance.setOption({ backgroundColor: 'transparent', animation: false, ...option });
      observer = new ResizeObserver(() => instance?.resize());
      observer.observe(dom);
    });
    return () => {
      cancel();
      observer?.disconnect();
      instance?.dispose();
      chart.current = null;
      testHooks.chartRemoved(id);
    };
  }, [id, option, theme, timeAxis]);

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
