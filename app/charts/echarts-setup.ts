// Only the parts of ECharts we draw with, so the bundle stays small (tree-shaken echarts/core).
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  TitleComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, TitleComponent, CanvasRenderer]);

/** Charts in this group share one zoom/brush on their time axes. */
export const TIME_GROUP = 'tlab-time';
echarts.connect(TIME_GROUP);

export { echarts };
