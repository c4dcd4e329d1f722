/**
 * The figures of a lab's results that a replay reports and compares: one table per lab, rows keyed by what they
 * measure. Results arrive as JSON (a browser's export or `tlab run --json`), so this reads plain objects and checks
 * what it reads instead of trusting a type.
 *
 * Each figure says what its agreement depends on: `exact` for what is computed without training (baselines, data
 * counts: the same code on the same bytes), `trained` for what a model learned, which is equal only where both
 * runs trained on the same arithmetic (the engine's WASM kernels in Node and in Chromium: measured equal to the last
 * bit on the verified, sched and forecast labs) and differs on others (a GPU, tfjs: other summation orders, drift
 * growing with each epoch; plain JS on two V8 versions: a last-bit difference in a feature can move a boosted
 * tree's split, as the fingerprint lab's leave-one-run-out GBT showed, 0.9375 in Chromium against 0.875 in Node).
 */
export type Agreement = 'exact' | 'trained';

export interface HeadlineRow {
  readonly key: string;
  readonly figures: Readonly<Record<string, number>>;
  readonly agreement: Agreement;
}

export interface Headline {
  readonly lab: string;
  /** What the table's rows are and which seed figure it reproduces. */
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly HeadlineRow[];
}

type Json = Record<string, unknown>;
const obj = (v: unknown, what: string): Json => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`results: ${what} is not an object`);
  return v as Json;
};
const arr = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) throw new Error(`results: ${what} is not a list`);
  return v;
};
// JSON writes NaN as null: a figure that was not measured stays NaN.
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new Error(`results: ${what} is not text`);
  return v;
};

export function headline(results: unknown): Headline {
  const r = obj(results, 'the results');
  switch (r.lab) {
    case 'verified':
      return verified(r);
    case 'sched':
      return sched(r);
    case 'forecast':
      return forecast(r);
    default:
      // The fingerprint lab's results carry no lab field; their spec does.
      if (obj(r.spec ?? {}, 'spec').lab === 'fingerprint') return fingerprint(r);
      throw new Error(`results: lab ${JSON.stringify(r.lab)} has no headline table (verified, sched, forecast, fingerprint)`);
  }
}

function verified(r: Json): Headline {
  const rows: HeadlineRow[] = arr(r.scores, 'scores').map((s, i) => {
    const o = obj(s, `scores[${i}]`);
    return {
      key: str(o.model, `scores[${i}].model`),
      figures: { 'train accuracy': num(o.trainAccuracy), 'test accuracy': num(o.testAccuracy), 'test RMSE µs': num(o.testRmse), 'test MAE µs': num(o.testMae) },
      agreement: o.kind === 'mlp' ? 'trained' : 'exact',
    };
  });
  for (const [i, f] of arr(r.figure6, 'figure6').entries()) {
    const o = obj(f, `figure6[${i}]`);
    rows.push({ key: `Figure 6: ${str(o.set, `figure6[${i}].set`)}`, figures: { unverified: num(o.unverified), verified: num(o.verified), n: num(o.n) }, agreement: 'trained' });
  }
  return { lab: 'verified', title: 'Verified lab: scores on the same split, and vPALs Figure 6 (accuracy of the unverified and the verified network)', columns: columnsOf(rows), rows };
}

function sched(r: Json): Headline {
  const rows = arr(r.rows, 'rows').map((x, i): HeadlineRow => {
    const o = obj(x, `rows[${i}]`);
    const byRole = obj(obj(o.scores, `rows[${i}].scores`).byRole, `rows[${i}].scores.byRole`);
    const figures: Record<string, number> = {};
    for (const role of ['test-seen', 'test-unseen'] as const) {
      const s = byRole[role];
      if (s === undefined) continue;
      const set = obj(s, `rows[${i}].scores.byRole.${role}`);
      figures[`${role} top-1`] = num(set.top1);
      figures[`${role} top-k`] = num(set.topk);
    }
    return { key: str(o.name, `rows[${i}].name`), figures, agreement: o.kind === 'model' ? 'trained' : 'exact' };
  });
  return { lab: 'sched', title: 'Scheduling lab: next-task accuracy on seen and unseen workloads (KernelOracle2\'s table)', columns: columnsOf(rows), rows };
}

function forecast(r: Json): Headline {
  const neural = new Set(['lstm', 'tcn', 'random-forest']);
  const rows = arr(r.rows, 'rows').map((x, i): HeadlineRow => {
    const o = obj(x, `rows[${i}]`);
    const model = str(o.model, `rows[${i}].model`);
    return {
      key: `${model} · ${str(o.inputs, `rows[${i}].inputs`)} · h=${num(o.horizon)} k=${num(o.history)}`,
      figures: { 'test RMSE': num(o.rmse), 'test MAE': num(o.mae) },
      // The forest is seeded and exact in principle, but its split search sums floats in the kernel's order too.
      agreement: neural.has(model) ? 'trained' : 'exact',
    };
  });
  return { lab: 'forecast', title: 'Forecast lab: test RMSE per model, inputs, horizon h and history k (the seed paper\'s Figure 2 grid)', columns: columnsOf(rows), rows };
}

function fingerprint(r: Json): Headline {
  const rows: HeadlineRow[] = [];
  for (const [i, e] of arr(r.evaluations, 'evaluations').entries()) {
    const ev = obj(e, `evaluations[${i}]`);
    for (const [j, m] of arr(ev.models, `evaluations[${i}].models`).entries()) {
      const mo = obj(m, `evaluations[${i}].models[${j}]`);
      const sc = obj(mo.scores, `evaluations[${i}].models[${j}].scores`);
      // Every model here is plain seeded JS on doubles, the boosted trees too: the same spec (bundle order included)
      // gives the same figures on any V8. The trees once differed in Chromium only because the lab's form reordered
      // the spec's bundles.
      rows.push({ key: `${str(ev.split, `evaluations[${i}].split`)} · ${str(mo.model, `evaluations[${i}].models[${j}].model`)}`, figures: { accuracy: num(sc.accuracy), precision: num(sc.precision), recall: num(sc.recall), F1: num(sc.f1) }, agreement: 'exact' });
    }
  }
  const d = obj(r.detection, 'detection');
  rows.push({ key: 'known / unknown by distance', figures: { 'known accepted': num(d.knownAccepted), 'unknown rejected': num(d.unknownRejected) }, agreement: 'exact' });
  return { lab: 'fingerprint', title: 'Fingerprint lab: CWD Table II (classifier scores on the 70/30 split and leave-one-run-out) and the known/unknown decision', columns: columnsOf(rows), rows };
}

function columnsOf(rows: readonly HeadlineRow[]): string[] {
  const seen: string[] = [];
  for (const r of rows) for (const c of Object.keys(r.figures)) if (!seen.includes(c)) seen.push(c);
  return seen;
}

export interface FigureDifference {
  readonly key: string;
  readonly figure: string;
  readonly a: number;
  readonly b: number;
  readonly agreement: Agreement;
  /** |a − b| / max(|a|, |b|, 1e-12); 0 when both are NaN. */
  readonly relative: number;
  /** Within its tolerance; null when not judged (trained figures from different kernels). */
  readonly ok: boolean | null;
}

export interface Comparison {
  readonly differences: readonly FigureDifference[];
  /** Rows only one side has. */
  readonly missing: readonly string[];
  readonly ok: boolean;
}

/** Float noise: what two runs of the same computation may differ by. */
export const SAME = 1e-9;

/**
 * Two headline tables of the same spec, figure by figure. `sameKernels`: both trained on the same kernels, so trained
 * figures must agree too; otherwise they are listed with their differences but not judged.
 */
export function compareHeadlines(a: Headline, b: Headline, sameKernels: boolean): Comparison {
  if (a.lab !== b.lab) throw new Error(`cannot compare a ${a.lab} table with a ${b.lab} table`);
  const other = new Map(b.rows.map((r) => [r.key, r]));
  const differences: FigureDifference[] = [];
  const missing: string[] = [];
  for (const row of a.rows) {
    const twin = other.get(row.key);
    if (!twin) {
      missing.push(row.key);
      continue;
    }
    other.delete(row.key);
    for (const [figure, x] of Object.entries(row.figures)) {
      const y = twin.figures[figure] ?? Number.NaN;
      const bothNaN = Number.isNaN(x) && Number.isNaN(y);
      const relative = bothNaN ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-12);
      const agreement = row.agreement === 'trained' || twin.agreement === 'trained' ? 'trained' : 'exact';
      const judged = agreement === 'exact' || sameKernels;
      differences.push({ key: row.key, figure, a: x, b: y, agreement, relative, ok: judged ? bothNaN || relative <= SAME : null });
    }
  }
  missing.push(...other.keys());
  return { differences, missing, ok: missing.length === 0 && differences.every((d) => d.ok !== false) };
}
