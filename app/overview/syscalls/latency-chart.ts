import type { EChartsCoreOption } from 'echarts/core';
import type { SyscallLatencyRow } from '../../../core/timeline/syscall-latency.ts';
import { formatDuration } from '../timeline/time-format.ts';

/** The histogram of one call's durations on log bins, empty bins at either end left out. */
export function latencyHistogramOption(row: SyscallLatencyRow, edgesNs: readonly number[]): EChartsCoreOption {
  let a = 0;
  let b = row.histogram.length - 1;
  while (a < b && row.histogram[a] === 0) a++;
  while (b > a && row.histogram[b] === 0) b--;
  const labels = [];
  for (let k = a; k <= b; k++) labels.push(`${formatDuration(edgesNs[k]! / 1e9)}–${formatDuration(edgesNs[k + 1]! / 1e9)}`);
  return {
    grid: { left: 56, right: 16, top: 28, bottom: 78 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: labels, name: 'duration', nameLocation: 'middle', nameGap: 62, axisLabel: { rotate: 40, fontSize: 10 } },
    yAxis: { type: 'value', name: 'calls', minInterval: 1 },
    series: [{ name: `${row.name} calls`, type: 'bar', data: row.histogram.slice(a, b + 1) }],
  };
}
