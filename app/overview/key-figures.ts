import type { Overview, Series } from '../../core/overview/types.ts';
import { formatCount, formatSeconds } from './format.ts';

export interface KeyFigure {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** How the value was found, for the tooltip and screen readers. */
  readonly detail: string;
}

function peak(s: Series | undefined): { y: number; x: number } | null {
  if (!s) return null;
  let best: { y: number; x: number } | null = null;
  for (let i = 0; i < s.y.length; i++) if (Number.isFinite(s.y[i]) && (!best || s.y[i]! > best.y)) best = { y: s.y[i]!, x: s.x[i]! };
  return best;
}

const at = (x: number) => `at ${Number(x.toPrecision(3))} s`;
const digits = (v: number) => Number(v.toPrecision(3)).toString();

/**
 * The figures a systems person looks for first, from the same series the charts draw (whole recording). Peaks
 * of downsampled series are peaks of what is drawn; LTTB keeps the extremes of each bucket's neighbourhood, and
 * the detail says when a series was downsampled. A figure the bundle cannot give is left out, not shown as 0.
 */
export function keyFigures(o: Overview): KeyFigure[] {
  const out: KeyFigure[] = [
    o.durationS > 0
      ? { id: 'duration', label: 'Duration', value: formatSeconds(o.durationS), detail: 'from the first to the last recorded instant' }
      : { id: 'duration', label: 'Duration', value: 'no time span', detail: 'every row has the same time (a summary, or a log without timestamps)' },
  ];
  const note = (s: Series) => (s.x.length < s.sourcePoints ? ` (of ${formatCount(s.x.length)} drawn points; ${formatCount(s.sourcePoints)} recorded)` : '');
  const cpu = o.usage.cpu.find((s) => s.id === 'cpu:group');
  const cpuPeak = peak(cpu);
  if (cpu && cpuPeak) out.push({ id: 'cpu', label: 'Peak CPU (group)', value: `${digits(cpuPeak.y)} cores`, detail: `user + system CPU seconds per second, ${at(cpuPeak.x)}${note(cpu)}` });
  const mem = o.usage.memory.find((s) => s.id === 'rss:group');
  const memPeak = peak(mem);
  if (mem && memPeak) out.push({ id: 'memory', label: 'Peak memory (RSS)', value: `${digits(memPeak.y)} MiB`, detail: `resident set of the group, ${at(memPeak.x)}${note(mem)}` });
  if (o.syscalls) {
    const top = o.syscalls.top[0];
    out.push({ id: 'syscalls', label: 'System calls', value: formatCount(o.syscalls.total), detail: top ? `most frequent: ${top.name} (${formatCount(top.count)})` : 'no calls' });
  }
  if (o.sched) {
    const switches = o.sched.byEvent.find((e) => e.event === 'sched_switch')?.count ?? 0;
    out.push({ id: 'switches', label: 'Context switches', value: formatCount(switches), detail: `sched_switch events on ${o.sched.busy.length} CPUs, ${formatCount(o.sched.total)} scheduler events in all` });
  }
  const pressure = o.psi
    .map((s) => ({ s, p: peak(s) }))
    .filter((e): e is { s: Series; p: { y: number; x: number } } => e.p !== null)
    .sort((a, b) => b.p.y - a.p.y);
  if (pressure.length) {
    const [first, ...rest] = pressure;
    out.push({
      id: 'pressure',
      label: 'Pressure peak',
      value: `${digits(first!.p.y)} % ${first!.s.name}`,
      detail: `share of an interval with stalled tasks, ${at(first!.p.x)}; next: ${rest
        .slice(0, 2)
        .map((e) => `${e.s.name} ${digits(e.p.y)} %`)
        .join(', ') || 'none'}`,
    });
  }
  return out;
}
