// Only the parts of ECharts we draw with, so the bundle stays small (tree-shaken echarts/core).
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  TitleComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Heatmap and visual map: the scheduling lab's confusion matrix.
echarts.use([LineChart, BarChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, TitleComponent, VisualMapComponent, CanvasRenderer]);

/** Charts in this group share one zoom/brush on their time axes. */
export const TIME_GROUP = 'tlab-time';
echarts.connect(TIME_GROUP);

export { echarts };

/** The live charts of TIME_GROUP (ChartCard adds and removes them), so code outside a chart can zoom them. */
export const timeCharts = new Set<{ dispatchAction(a: object): void; isDisposed(): boolean }>();

/**
 * Zooms every time chart to [start, end] (percent of the shared time axis): one dispatch, the group's
 * connection carries it to the others. Used when the per-CPU timeline is zoomed on its own canvas.
 */
export function zoomTimeCharts(start: number, end: number): void {
  for (const c of timeCharts) {
    if (c.isDisposed()) continue;
    c.dispatchAction({ type: 'dataZoom', start, end });
    return;
  }
}

/**
 * The first chart a page creates pays ECharts' one-time set-up (well over 100 ms on a slow machine). Paying it
 * on an idle, off-screen chart at start-up keeps it out of the moment a bundle has just loaded.
 */
export function warmUpCharts(): void {
  const run = () => {
    const dom = document.createElement('div');
    dom.style.cssText = 'position:absolute;left:-10000px;width:200px;height:100px';
    document.body.appendChild(dom);
    const chart = echarts.init(dom);
    chart.setOption({ animation: false, xAxis: { type: 'value' }, yAxis: { type: 'value' }, series: [{ type: 'line', data: [[0, 1], [1, 2]] }] });
    chart.dispose();
    dom.remove();
  };
  if ('requestIdleCallback' in window) requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 200);
}
