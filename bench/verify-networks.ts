// The networks the `verify` bench suite verifies: vPALs-shaped latency MLPs (8 inputs; 2×300 and 3×512 ReLU),
// trained on the engine, once plainly and once with counterexample-guided training (core/verify/cegis.ts).
//
// STAND-IN DATA. The verified lab's real data (bundles from `tlab bench`, shipped to public/datasets/verified/, read
// by core/verified-lab/dataset.ts) does not exist yet. Until it does, the networks learn a stand-in from the three
// forecast demo bundles (public/datasets/forecast/*.tlab, real recordings): the inputs are vPALs's five (PSI cpu
// some, io some, io full of the workload's cgroup, its CPU time and its disk reads) per interval, the target is the
// workload's involuntary context switches per second (how often it was preempted: the nearest thing to a latency
// those recordings hold), everything MinMax-scaled into [0, 1]. The spec asks for the three PSI inputs to be
// increasing (more pressure never predicts fewer preemptions), the rest free, over the unit box (the scaled data's
// range). Switch `loadData` to the shipped data when it lands; nothing else here
// depends on where the rows come from.
import { readFileSync } from 'node:fs';
import { readBundle } from '../core/bundle/index.ts';
import { buildSeries } from '../core/forecast/series.ts';
import { Mlp, mlpInitialWeights, type MlpConfig } from '../core/engine/mlp.ts';
import { Adam } from '../core/engine/optim.ts';
import type { KernelName } from '../core/engine/kernels.ts';
import { Rng } from '../core/ml/rng.ts';
import type { WeightData } from '../core/ml/weights.ts';
import { trainVerified, type CegisRound } from '../core/verify/cegis.ts';
import type { Direction, MonotoneSpec } from '../core/verify/spec.ts';

export interface VerifyNetwork {
  /** Bench model key: mlp-2x300, mlp-3x512. */
  readonly name: string;
  /** 'cegis': trained until the verifier proved the spec (or the rounds ran out); 'plain': MSE only. */
  readonly training: 'cegis' | 'plain';
  readonly config: MlpConfig;
  readonly weights: WeightData[];
  readonly spec: MonotoneSpec;
  /** Scaled input rows (what line walks start from). */
  readonly data: number[][];
  /** Where the data came from and how the net was trained, for the bench row's notes. */
  readonly notes: string;
  /** The counterexample-guided rounds, for 'cegis'. */
  readonly rounds?: readonly CegisRound[];
  readonly trainSeconds: number;
}

export const STAND_IN_NOTE =
  'STAND-IN data (the verified lab data from tlab bench is not shipped yet): forecast demo bundles phases+periodic+ramp, inputs PSI cpu some, io some, io full, CPU, disk reads -> involuntary context switches/s, MinMax-scaled';

// vPALs's inputs (PSI cpu some, io some and full, CPU time, disk), as the recordings have them.
const INPUTS = ['psi:cgroup:cpu:some', 'psi:cgroup:io:some', 'psi:cgroup:io:full', 'group:cpu', 'group:read'] as const;
const TARGET = 'group:involuntary_ctxsw';
const DIRECTIONS: Direction[] = INPUTS.map((id) => (id.startsWith('psi:') ? 'increasing' : 'free'));

export interface VerifyData {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly rows: number;
  readonly inputs: readonly string[];
  readonly directions: readonly Direction[];
  readonly note: string;
}

/** The stand-in rows (see the header), MinMax-scaled into [0, 1] per column. */
export async function loadData(): Promise<VerifyData> {
  const columns: number[][] = [...INPUTS, TARGET].map(() => []);
  for (const f of ['phases', 'periodic', 'ramp']) {
    const path = new URL(`../public/datasets/forecast/${f}.tlab`, import.meta.url).pathname;
    const read = await readBundle(new Uint8Array(readFileSync(path)));
    if (!read.ok) throw new Error(`${path}: ${read.error.kind}`);
    const frame = buildSeries(read.bundle, [...INPUTS, TARGET]);
    [...INPUTS, TARGET].forEach((id, c) => columns[c]!.push(...frame.columns.get(id)!));
  }
  const rows = columns[0]!.length;
  const scaled = columns.map((col) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of col) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return col.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0));
  });
  const D = INPUTS.length;
  const x = new Float32Array(rows * D);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < D; d++) x[r * D + d] = scaled[d]![r]!;
    y[r] = scaled[D]![r]!;
  }
  return { x, y, rows, inputs: INPUTS, directions: DIRECTIONS, note: STAND_IN_NOTE };
}

/**
 * Minibatch Adam on MSE; with `pairs`, also Ouroboros's hinge penalty on pairs (x, x + ε·e_i) along the monotone
 * inputs, drawn each step half at training rows (where a fit to noisy data dips) and half uniformly over the box:
 * the warm start counterexample-guided training finishes from.
 */
export function fit(config: MlpConfig, initial: readonly WeightData[], d: VerifyData, spec: MonotoneSpec, epochs: number, seed: number, pairs: { perStep: number; weight: number; epsilon: number; margin: number } | null, kernel?: KernelName): WeightData[] {
  const batch = 64;
  const D = config.inputs;
  const P = pairs?.perStep ?? 0;
  const net = new Mlp(config, initial, batch + 2 * P, kernel);
  const adam = new Adam(0.003);
  const rng = new Rng(seed);
  const order = Int32Array.from({ length: d.rows }, (_, i) => i);
  const bx = new Float32Array(batch * D);
  const by = new Float32Array(batch);
  const plo = new Float32Array(P * D);
  const phi = new Float32Array(P * D);
  const monotone = spec.directions.flatMap((dir, i) => (dir === 'free' ? [] : [i]));
  for (let e = 0; e < epochs; e++) {
    rng.shuffle(order);
    for (let start = 0; start < d.rows; start += batch) {
      const n = Math.min(batch, d.rows - start);
      for (let k = 0; k < n; k++) {
        const r = order[start + k]!;
        bx.set(d.x.subarray(r * D, (r + 1) * D), k * D);
        by[k] = d.y[r]!;
      }
      if (!pairs || monotone.length === 0) {
        net.trainStep(bx.subarray(0, n * D), by.subarray(0, n), n, adam);
        continue;
      }
      for (let p = 0; p < P; p++) {
        const r = rng.int(d.rows);
        for (let k = 0; k < D; k++) plo[p * D + k] = p % 2 === 0 ? d.x[r * D + k]! : rng.uniform(spec.lo[k]!, spec.hi[k]!);
        phi.set(plo.subarray(p * D, (p + 1) * D), p * D);
        const i = monotone[rng.int(monotone.length)]!;
        const a = Math.max(spec.lo[i]!, plo[p * D + i]! - pairs.epsilon / 2);
        const b = Math.min(spec.hi[i]!, plo[p * D + i]! + pairs.epsilon / 2);
        // Decreasing inputs: the pair is reversed (f(hi) must not exceed f(lo)).
        const up = spec.directions[i] === 'increasing';
        plo[p * D + i] = up ? a : b;
        phi[p * D + i] = up ? b : a;
      }
      net.trainStep(bx.subarray(0, n * D), by.subarray(0, n), n, adam, { lo: plo, hi: phi, count: P, weight: pairs.weight, margin: pairs.margin });
    }
  }
  return net.weights();
}

// The warm start's pairs (per step, half at data rows) and the counterexample-guided rounds after it. Tried on the
// stand-in: a plain fit has dips along the PSI inputs at hundreds of data rows; 40 epochs with these pairs leave a
// few dozen; the rounds remove those.
const WARM_PAIRS = { perStep: 256, weight: 50, epsilon: 0.1, margin: 0.005 };
const CEGIS = { seed: 7, epochsPerRound: 5, maxRounds: 6, batchSize: 64, learningRate: 0.001, pairWeight: 50, epsilon: 0.1, margin: 0.005, randomPairsPerStep: 64, verifySeconds: 20 } as const;

const SHAPES: readonly { name: string; hidden: number[]; epochs: number }[] = [
  { name: 'mlp-2x300', hidden: [300, 300], epochs: 40 },
  { name: 'mlp-3x512', hidden: [512, 512, 512], epochs: 30 },
];

/**
 * Every bench network: per shape, a plain MSE fit and a counterexample-guided one, on the same data and initial
 * weights (seeded). `only` picks shapes by name.
 */
export async function verifyNetworks(o: { kernel?: KernelName; only?: readonly string[]; trainings?: readonly ('plain' | 'cegis')[] } = {}): Promise<VerifyNetwork[]> {
  const d = await loadData();
  const D = d.inputs.length;
  const spec: MonotoneSpec = { directions: [...d.directions], lo: new Array(D).fill(0), hi: new Array(D).fill(1) };
  const data = Array.from({ length: d.rows }, (_, r) => Array.from(d.x.subarray(r * D, (r + 1) * D)));
  const out: VerifyNetwork[] = [];
  for (const s of SHAPES) {
    if (o.only && !o.only.includes(s.name)) continue;
    const config: MlpConfig = { inputs: D, hidden: s.hidden, outputs: 1 };
    const initial = mlpInitialWeights(config, new Rng(7));
    for (const training of o.trainings ?? (['plain', 'cegis'] as const)) {
      const t0 = performance.now();
      if (training === 'plain') {
        const weights = fit(config, initial, d, spec, s.epochs, 7, null, o.kernel);
        out.push({ name: s.name, training, config, weights, spec, data, notes: `${d.note}; plain MSE fit, ${s.epochs} epochs`, trainSeconds: (performance.now() - t0) / 1000 });
        continue;
      }
      const warm = fit(config, initial, d, spec, s.epochs, 7, WARM_PAIRS, o.kernel);
      const r = trainVerified(config, warm, d.x, d.y, spec, { ...CEGIS, ...(o.kernel ? { kernel: o.kernel } : {}) });
      const last = r.rounds.at(-1)!;
      out.push({
        name: s.name,
        training,
        config,
        weights: r.weights,
        spec,
        data,
        rounds: r.rounds,
        notes: `${d.note}; ${s.epochs} epochs with monotone pairs at data rows and uniform, then counterexample-guided training: ${r.rounds.length} rounds, last verification ${last.result.status}`,
        trainSeconds: (performance.now() - t0) / 1000,
      });
    }
  }
  return out;
}
