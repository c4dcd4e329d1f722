import { MarkAreaComponent, MarkLineComponent } from 'echarts/components';
import { echarts } from '../../charts/echarts-setup.ts';

// The fingerprint lab's change point lines and phase bands: registered with the lab's code, not the app's first load.
echarts.use([MarkLineComponent, MarkAreaComponent]);
