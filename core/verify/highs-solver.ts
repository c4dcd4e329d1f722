import type { MilpModel, MilpOutcome, MilpSolver } from './milp.ts';

/**
 * The MILP solver: HiGHS (npm `highs`, HiGHS compiled to WebAssembly, MIT), loaded on first use with a dynamic
 * import so that nothing in core pulls its 3.5 MB of WASM in until a verification needs it.
 *
 * Where it finds highs.wasm: in Node, next to the loader in node_modules (nothing to pass). In a browser worker the
 * loader fetches `new URL('highs.wasm', import.meta.url)`; a production Vite build rewrites that to the emitted asset
 * (checked: a worker importing this file builds to a 2 KB worker chunk, a separate 100 KB HiGHS chunk loaded on first
 * use and one 3.5 MB highs.wasm; the loader's `node:module` import sits behind its Node-only branch and is
 * externalised with a warning). Vite's dev server pre-bundles dependencies and can break that URL: there, pass the
 * file's URL (or add `highs` to optimizeDeps.exclude):
 *
 *   import highsWasm from 'highs/runtime?url';
 *   await loadHighsSolver({ locateFile: () => highsWasm });
 *
 * (or `wasmBinary` / `wasmModule`). If loading fails the promise resolves to null and the verifier runs without the
 * exact step: boxes the bounds cannot settle are reported as unresolved ("unknown"), never guessed.
 */
export interface HighsInit {
  locateFile?(file: string): string;
  wasmBinary?: ArrayBuffer | ArrayBufferView;
  wasmModule?: WebAssembly.Module;
}

let loading: Promise<MilpSolver | null> | null = null;
let loaded: MilpSolver | null = null;
let loadError: string | null = null;

/**
 * Loads HiGHS once (later calls return the same promise); null, with `milpLoadError()` saying why, if it cannot run
 * here (a failed load is not cached: the next call tries again).
 */
export function loadHighsSolver(init: HighsInit = {}): Promise<MilpSolver | null> {
  loading ??= (async () => {
    try {
      const mod = await import('highs');
      const highs = await mod.default(init);
      loaded = highsSolver(highs);
      return loaded;
    } catch (e) {
      loadError = e instanceof Error ? e.message : String(e);
      // A later call (say with a locateFile) may try again.
      loading = null;
      return null;
    }
  })();
  return loading;
}

/** The solver if loadHighsSolver has finished loading it, else null (what the synchronous verifier uses). */
export function loadedMilpSolver(): MilpSolver | null {
  return loaded;
}

export function milpLoadError(): string | null {
  return loadError;
}

type Highs = Awaited<ReturnType<(typeof import('highs'))['default']>>;

function highsSolver(highs: Highs): MilpSolver {
  const C = highs.constants;
  return {
    name: `HiGHS ${highs.version.string} (wasm)`,
    solve(m: MilpModel, timeLimitSeconds: number, o: { cutoff?: number; target?: number; options?: Readonly<Record<string, number | string | boolean>> } = {}): MilpOutcome {
      const numCols = m.colLower.length;
      const numRows = m.rows.length;
      const starts = new Int32Array(numRows + 1);
      let nnz = 0;
      m.rows.forEach((r, i) => {
        nnz += r.cols.length;
        starts[i + 1] = nnz;
      });
      const indices = new Int32Array(nnz);
      const values = new Float64Array(nnz);
      let k = 0;
      for (const r of m.rows) {
        for (let t = 0; t < r.cols.length; t++, k++) {
          indices[k] = r.cols[t]!;
          values[k] = r.vals[t]!;
        }
      }
      const inf = highs.infinity;
      const clamp = (v: number) => (v === Infinity ? inf : v === -Infinity ? -inf : v);
      const hasInteger = m.integer.some((b) => b);
      let model: ReturnType<Highs['createModel']> | null = null;
      try {
        model = highs.createModel({
          numCols,
          numRows,
          sense: C.objectiveSense.minimize,
          offset: m.offset,
          colCost: Float64Array.from(m.colCost),
          colLower: Float64Array.from(m.colLower, clamp),
          colUpper: Float64Array.from(m.colUpper, clamp),
          rowLower: Float64Array.from(m.rows, (r) => clamp(r.lower)),
          rowUpper: Float64Array.from(m.rows, (r) => clamp(r.upper)),
          matrix: { format: 'csr', numRows, numCols, starts, indices, values },
          ...(hasInteger ? { integrality: Int32Array.from(m.integer, (b) => (b ? C.variableType.integer : C.variableType.continuous)) } : {}),
        });
        model.options.set({ output_flag: false, time_limit: Math.max(0.01, timeLimitSeconds) });
        if (o.cutoff !== undefined) model.options.set('objective_bound', o.cutoff);
        if (o.target !== undefined) model.options.set('objective_target', o.target);
        if (o.options) model.options.set(o.options);
        const run = model.run();
        const status = run.modelStatus;
        const S = C.modelStatus;
        const sol = model.getSolution();
        const info = (name: string) => {
          try {
            return Number(model!.info.get(name));
          } catch {
            return NaN;
          }
        };
        const primal = info('primal_solution_status') === C.solutionStatus.feasible;
        const objective = primal ? model.getObjectiveValue() : undefined;
        let bound = -Infinity;
        if (status === S.optimal) bound = hasInteger ? info('mip_dual_bound') : (objective ?? -Infinity);
        else if (hasInteger) bound = info('mip_dual_bound');
        if (!Number.isFinite(bound)) bound = -Infinity;
        const nodes = hasInteger ? info('mip_node_count') : NaN;
        const out = (s: MilpOutcome['status']): MilpOutcome => ({ status: s, bound, ...(Number.isFinite(nodes) ? { nodes } : {}), ...(objective !== undefined ? { objective, x: Float64Array.from(sol.colValue) } : {}) });
        if (status === S.optimal) return out('optimal');
        if (status === S.infeasible) return { status: 'infeasible', bound: o.cutoff ?? Infinity, ...(Number.isFinite(nodes) ? { nodes } : {}) };
        if (status === S.objectiveBound) return { status: 'infeasible', bound: o.cutoff ?? -Infinity, ...(Number.isFinite(nodes) ? { nodes } : {}) };
        if (status === S.objectiveTarget) return out('limit');
        if (status === S.timeLimit || status === S.iterationLimit || status === S.interrupted || status === S.solutionLimit) return out('limit');
        return { ...out("error"), message: `HiGHS model status ${status}` };
      } catch (e) {
        return { status: 'error', bound: -Infinity, message: e instanceof Error ? e.message : String(e) };
      } finally {
        model?.dispose();
      }
    },
  };
}
