import type { Bundle } from '../bundle/index.ts';
import { runGrid, type CellPredictions, type ForecastModel, type GridProgress, type SkippedCell } from './grid.ts';
import { buildSeries, listSeries, seriesIdsOf, type SeriesInfo } from './series.ts';
import { addSyscallEmbeddingSeries, type SyscallEmbeddingSummary } from './syscall-embedding-series.ts';
import type { ForecastSpec } from './spec.ts';
import type { ForecastRow } from './types.ts';
import { splitBounds } from './windows.ts';

export interface ForecastProgress {
  readonly fraction: number;
  readonly message: string;
  readonly grid?: GridProgress;
  readonly inputs?: string;
}

export interface ForecastRunOptions {
  readonly backend: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ForecastProgress) => void;
}

export interface ForecastResults {
  readonly lab: 'forecast';
  readonly spec: ForecastSpec;
  readonly backend: string;
  readonly target: SeriesInfo;
  readonly intervals: number;
  readonly intervalS: number;
  /** Each input set with the series it resolved to on this bundle (the target's history always first). */
  readonly inputSets: readonly { readonly name: string; readonly seriesIds: readonly string[] }[];
  /** One row per model, horizon, history and input set; models that ignore inputs appear under the first set only. */
  readonly rows: readonly ForecastRow[];
  readonly skipped: readonly SkippedCell[];
  /** Test-span predictions of one cell for every model, with the input set they used and seconds from the start. */
  readonly predictions: (CellPredictions & { readonly inputs: string; readonly tS: Float64Array }) | null;
  /** The skip-gram vectors behind the `syscall-embedding` inputs, when an input set used them. */
  readonly embedding: SyscallEmbeddingSummary | null;
  readonly elapsedMs: number;
}

// These read only the target's own history, so one input set is enough for them.
const INPUT_BLIND: readonly ForecastModel[] = ['persistence', 'moving-average', 'mean'];

/**
 * The error map over horizons × histories for every model and input set (the ablation with and without
 * syscall, PSI or counter inputs), on one bundle, with splits, normalisation and test targets shared by all.
 */
export async function runForecastExperiment(spec: ForecastSpec, bundle: Bundle, o: ForecastRunOptions): Promise<ForecastResults> {
  const start = performance.now();
  const infos = listSeries(bundle);
  const target = infos.find((s) => s.id === spec.target);
  if (!target) {
    throw new Error(`the bundle has no series "${spec.target}" to forecast; it has: ${infos.map((s) => s.id).slice(0, 30).join(', ')}${infos.length > 30 ? ', …' : ''}`);
  }
  let all = buildSeries(bundle, infos.map((s) => s.id));
  const n = all.tNs.length;
  const train = splitBounds(n, spec.fractions);
  let embedding: SyscallEmbeddingSummary | null = null;
  let embeddingIds: string[] = [];
  if (spec.inputSets.some((s) => s.families.includes('syscall-embedding'))) {
    o.onProgress?.({ fraction: 0, message: 'training syscall embeddings (skip-gram) on the training span' });
    const added = await addSyscallEmbeddingSeries(all, bundle, train.trainEnd, { ...spec.embedding, seed: spec.seed }, o.signal);
    all = added.frame;
    embedding = added.summary;
    embeddingIds = added.ids;
  }
  // Syscall series ranked by their calls in the training range only, so the choice of inputs sees no test data.
  const syscallRank = infos
    .filter((s) => s.family === 'syscalls' && s.id.startsWith('syscall:'))
    .map((s) => {
      const v = all.columns.get(s.id)!;
      let sum = 0;
      for (let i = 0; i < train.trainEnd; i++) sum += v[i]!;
      return { id: s.id, sum };
    })
    .sort((a, b) => b.sum - a.sum || (a.id < b.id ? -1 : 1))
    .slice(0, spec.maxSyscallSeries)
    .map((s) => s.id);
  const inputSets = spec.inputSets.map((set) => {
    const families = set.families.filter((f) => f !== 'syscalls' && f !== 'syscall-embedding');
    // Per-process series are named by PID: a model fed them would not apply to another recording (KernelOracle's
    // mistake in another guise), so inputs take the group and system series only.
    const ids = [spec.target, ...seriesIdsOf(infos, families, spec.minCoverage).filter((id) => id !== spec.target && !id.startsWith('process:'))];
    if (set.families.includes('syscalls')) ids.push(...infos.filter((s) => s.id === 'syscalls:total').map((s) => s.id), ...syscallRank);
    if (set.families.includes('syscall-embedding')) ids.push(...embeddingIds);
    return { name: set.name, seriesIds: [...new Set(ids)] };
  });
  const rows: ForecastRow[] = [];
  const skipped: SkippedCell[] = [];
  const cell = spec.predictionCell ?? { horizon: spec.horizons[0]!, history: spec.histories.at(-1)! };
  let predictions: ForecastResults['predictions'] = null;
  for (const [i, set] of inputSets.entries()) {
    const models = i === 0 ? spec.models : spec.models.filter((m) => !INPUT_BLIND.includes(m));
    if (models.length === 0) continue;
    // The cell's predictions: every model of the last input set, plus the input-blind baselines (first set only).
    const last = i === inputSets.length - 1;
    const keep = last || models.some((m) => INPUT_BLIND.includes(m));
    const result = await runGrid(
      all,
      {
        targetId: spec.target,
        inputIds: set.seriesIds,
        inputsLabel: set.name,
        horizons: spec.horizons,
        histories: spec.histories,
        models,
        fractions: spec.fractions,
        seed: spec.seed,
        bundleLabel: `${bundle.manifest.workload.label} (${spec.bundle.path})`,
        neural: spec.neural,
        forest: spec.forest,
        ...(keep ? { keepPredictions: cell } : {}),
      },
      {
        signal: o.signal,
        onProgress: (g) =>
          o.onProgress?.({
            fraction: (i + g.done / g.total) / inputSets.length,
            message: `${set.name}: ${g.model} at horizon ${g.horizon}, history ${g.history} (${g.done}/${g.total})`,
            grid: g,
            inputs: set.name,
          }),
      },
    );
    rows.push(...result.rows);
    skipped.push(...result.skipped);
    if (keep && result.predictions) {
      const t0 = all.tNs[0]! - all.intervalNs[0]!;
      const kept = last ? result.predictions.models : result.predictions.models.filter((m) => (INPUT_BLIND as readonly string[]).includes(m.model));
      // Every set shares the test targets (same splits), so the models line up point by point.
      const merged: CellPredictions['models'] = [...(predictions?.models ?? []), ...kept];
      predictions = { ...result.predictions, models: merged, inputs: set.name, tS: Float64Array.from(result.predictions.targetIndex, (r) => (all.tNs[r]! - t0) / 1e9) };
    }
  }
  // Skill against persistence at the same horizon and history, whichever input set a row used.
  const persistence = new Map(rows.filter((r) => r.model === 'persistence').map((r) => [`${r.horizon}/${r.history}`, r.rmse]));
  const withSkill = rows.map((r) => {
    const p = persistence.get(`${r.horizon}/${r.history}`);
    return p && p > 0 ? { ...r, skill: 1 - r.rmse / p } : r;
  });
  o.onProgress?.({ fraction: 1, message: 'done' });
  return {
    lab: 'forecast',
    spec,
    backend: o.backend,
    target,
    intervals: n,
    intervalS: all.intervalS,
    inputSets,
    rows: withSkill,
    skipped,
    predictions,
    embedding,
    elapsedMs: performance.now() - start,
  };
}
