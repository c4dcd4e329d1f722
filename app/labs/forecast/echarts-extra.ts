import { ScatterChart } from 'echarts/charts';
import { LabelLayout } from 'echarts/features';
import { echarts } from '../../charts/echarts-setup.ts';

// The embedding scatter is the only scatter plot: registered with the lab's code, not the app's first load.
echarts.use([ScatterChart, LabelLayout]);
