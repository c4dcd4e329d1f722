/** One measured figure. With --json each is printed as one JSON object per line. */
export interface BenchRow {
  suite: string;
  model: string;
  backend: string;
  metric: string;
  value: number;
  unit: string;
  /** What the measured run answered (e.g. a verifier's verified / falsified / unknown), where that matters. */
  status?: string;
  /** Provenance and caveats (e.g. stand-in data). */
  notes?: string;
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
  const noted = rows.filter((r) => r.status || r.notes);
  for (const r of noted) console.log(`  ${r.model} ${r.metric}: ${[r.status, r.notes].filter(Boolean).join(' — ')}`);
}
