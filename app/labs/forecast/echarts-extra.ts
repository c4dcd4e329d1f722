import { ScatterChart } from 'echarts/charts';
import { MarkPointComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { echarts } from '../../charts/echarts-setup.ts';

// The embedding scatter and the kept-epoch marker: registered with the lab's code, not the app's first load.
echarts.use([ScatterChart, LabelLayout, MarkPointComponent]);
