import type { Series } from '../../core/overview/types.ts';
import type { LoadedBundle } from '../../workers/bundle-loader/protocol.ts';

/** Series grouped by unit, the biggest group first: one chart per unit, so no line is read on another's axis. */
export function splitByUnit(series: readonly Series[]): { unit: string; series: Series[] }[] {
  const groups = new Map<string, Series[]>();
  for (const s of series) {
    const g = groups.get(s.unit);
    if (g) g.push(s);
    else groups.set(s.unit, [s]);
  }
  return [...groups].map(([unit, s]) => ({ unit, series: s })).sort((a, b) => b.series.length - a.series.length);
}

/** A chart id for the counters of one unit: the first keeps "counters", the rest add their unit. */
export function counterChartId(unit: string, index: number): string {
  return index === 0 ? 'counters' : `counters-${unit.replace(/[^\w]+/g, '_') || 'none'}`;
}

/** Why a part of the overview has nothing to show, in a few words (the source details say the rest). */
export function sourceWhy(bundle: LoadedBundle, source: string): string {
  const s = bundle.manifest.sources[source as keyof LoadedBundle['manifest']['sources']];
  if (!s) return 'not recorded';
  return 'reason' in s ? `${s.status}: ${s.reason}` : 'recorded, but empty';
}

export interface Missing {
  readonly what: string;
  readonly why: string;
}

/** The parts the bundle has no data for, as one line's worth of entries instead of a card each. */
export function missingText(missing: readonly Missing[]): string {
  return missing.map((m) => `${m.what} (${m.why})`).join(' · ');
}

const short = (v: number) => Number(v.toPrecision(3)).toString();

/** A chart's lines in words for screen readers: each line's peak and when it happened (the first five). */
export function seriesSummary(series: readonly Series[], unit: string): string {
  const parts = series.slice(0, 5).map((s) => {
    let k = -1;
    for (let i = 0; i < s.y.length; i++) if (Number.isFinite(s.y[i]) && (k < 0 || s.y[i]! > s.y[k]!)) k = i;
    return k < 0 ? `${s.name}: no values` : `${s.name} peaks at ${short(s.y[k]!)} ${unit} at ${short(s.x[k]!)} s`;
  });
  const more = series.length > 5 ? `; ${series.length - 5} more lines` : '';
  return `${series.length} line${series.length === 1 ? '' : 's'} over time. ${parts.join('; ')}${more}.`;
}

/** A counter unit in words for a chart title: "/s" alone is a count per second. */
export function unitWords(unit: string): string {
  return unit === '/s' ? 'per second' : `in ${unit}`;
}
