import type { TimelineInfo, TimelineView } from '../../../core/timeline/view.ts';
import { formatDuration, formatTick } from './time-format.ts';

/** The view in words, for screen readers: the span, the slice count, and per track what ran most of it. */
export function viewSummary(label: string, info: TimelineInfo, view: TimelineView, maxTracks = 8): string {
  const len = view.to - view.from;
  const parts = [`${label} from ${formatTick(view.from, len / 10)} to ${formatTick(view.to, len / 10)} (${formatDuration(len)}): ${view.slices.toLocaleString('en')} slices on ${view.tracks.length} tracks.`];
  view.tracks.slice(0, maxTracks).forEach((tr, k) => {
    const time = new Map<number, number>();
    let n = 0;
    for (let j = 0; j < tr.start.length; j++) {
      const d = Math.min(tr.end[j]!, view.to) - Math.max(tr.start[j]!, view.from);
      if (d > 0) time.set(tr.key[j]!, (time.get(tr.key[j]!) ?? 0) + d);
      n += tr.count[j]!;
    }
    const top = [...time.entries()].sort((a, b) => b[1] - a[1])[0];
    parts.push(
      top
        ? `${info.trackLabels[k]}: ${n.toLocaleString('en')} slices, most time in ${info.keyLabels[top[0]]} (${Math.round((100 * top[1]) / len)}% of the span).`
        : `${info.trackLabels[k]}: nothing in this span.`,
    );
  });
  if (view.tracks.length > maxTracks) parts.push(`${view.tracks.length - maxTracks} more tracks.`);
  return parts.join(' ');
}
