/** One measured figure. With --json each is printed as one JSON object per line. */
export interface BenchRow {
  suite: string;
  model: string;
  backend: string;
  metric: string;
  value: number;
  unit: string;
}

export function printRows(rows: readonly BenchRow[], json: boolean): void {
  if (json) {
    for (const r of rows) console.log(JSON.stringify(r));
    return;
  }
  const header = ['suite', 'model', 'backend', 'metric', 'value', 'unit'];
  const cells = rows.map((r) => [r.suite, r.model, r.backend, r.metric, Number(r.value.toPrecision(5)).toString(), r.unit]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
}
