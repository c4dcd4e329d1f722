/**
 * Colours and legend room for chart series. ECharts colours a series by its position, so a zoomed span that
 * lacks one series (or ranks calls differently) would repaint every series after it; here a series keeps the
 * colour its name got in the whole-recording view.
 */
// ECharts' default palette, then eight more distinct hues (none near black or grey, which vanish on the dark
// theme), so a 12-line PSI chart repeats no colour.
export const PALETTE = [
  '#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc',
  '#17becf', '#c23531', '#61a0a8', '#d48265', '#749f83', '#ca8622', '#bda29a', '#8c6bb1',
];

/** One colour per name, by first position; the same names in the same order always get the same colours. */
export function seriesColours(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) if (!out.has(n)) out.set(n, PALETTE[out.size % PALETTE.length]!);
  return out;
}

/**
 * Zoomed series in the colours the whole view gave their names. A name the whole view did not have (a call that
 * ranks in the top ten only inside the zoom) takes the first palette colour no shown series uses.
 */
export function keepColours(detail: readonly unknown[], base: readonly unknown[]): unknown[] {
  const known = new Map<string, string>();
  for (const s of base as { name?: string; color?: string }[]) if (s.name && s.color) known.set(s.name, s.color);
  if (known.size === 0) return [...detail];
  const used = new Set(known.values());
  const spare = PALETTE.filter((c) => !used.has(c));
  return (detail as { name?: string; color?: string }[]).map((s) => {
    if (!s.name) return s;
    let colour = known.get(s.name);
    if (!colour) {
      colour = spare.shift() ?? PALETTE[known.size % PALETTE.length]!;
      known.set(s.name, colour);
    }
    return { ...s, color: colour };
  });
}

/**
 * Legend rows a chart about 520 px wide needs for these names (ECharts' default 12 px font: ~6.5 px a character,
 * plus the 18 px symbol and gaps), so the plot starts below the last row.
 */
export function legendRows(names: readonly string[], widthPx = 500): number {
  if (names.length === 0) return 1;
  let rows = 1;
  let x = 0;
  for (const n of names) {
    const w = 18 + 5 + n.length * 6.5 + 8;
    if (x > 0 && x + w > widthPx) {
      rows++;
      x = 0;
    }
    x += w;
  }
  return rows;
}
