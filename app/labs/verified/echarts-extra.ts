import { ScatterChart } from 'echarts/charts';
import { MarkAreaComponent, MarkLineComponent, MarkPointComponent } from 'echarts/components';
import { echarts } from '../../charts/echarts-setup.ts';

// The verified lab's pair markers, round marks and dependence points: registered with the lab's code, not the app's first load.
echarts.use([ScatterChart, MarkLineComponent, MarkAreaComponent, MarkPointComponent]);
