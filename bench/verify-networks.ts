// The networks the `verify` bench suite verifies: vPALs-shaped latency MLPs (5 inputs; 2×300 and 3×512 ReLU),
// trained on the engine, once plainly and once with counterexample-guided training (core/verify/cegis.ts).
//
// Data: the verified lab's shipped dataset (public/datasets/verified/redis.tlab, recorded by `tlab bench`), read by
// the lab's own dataset builder. Inputs are vPALs's five as the recording has them (system PSI cpu some, io some, io
// full, CPU busy, disk read + write per interval), the target is redis's p99 latency per interval (log, as the lab
// scales it), everything MinMax-scaled into [0, 1] over all rows (the bench verifies, it does not score a split).
// The spec asks for the three PSI inputs to be increasing (more pressure never predicts lower latency), the rest
// free, over the unit box (the scaled data's range).
import { readFileSync } from 'node:fs';
import { readBundle } from '../core/bundle/index.ts';
import { Mlp, mlpInitialWeights, type MlpConfig } from '../core/engine/mlp.ts';
import { Adam } from '../core/engine/optim.ts';
import type { KernelName } from '../core/engine/kernels.ts';
import { Rng } from '../core/ml/rng.ts';
import type { WeightData } from '../core/ml/weights.ts';
import { buildVerifiedDataset, usableRows } from '../core/verified-lab/dataset.ts';
import { fitMinMax, fitTarget, scaleInput, scaleTarget } from '../core/verified-lab/scaling.ts';
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

const SERVICE = 'redis';
const INPUTS = ['psi:system:cpu:some', 'psi:system:io:some', 'psi:system:io:full', 'usage:system:cpu', 'usage:system:disk'] as const;
const DIRECTIONS: Direction[] = INPUTS.map((id) => (id.startsWith('psi:') ? 'increasing' : 'free'));

export interface VerifyData {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly rows: number;
  readonly inputs: readonly string[];
  readonly directions: readonly Direction[];
  readonly note: string;
}

/** The shipped redis rows (see the header), MinMax-scaled into [0, 1] per column, log p99 likewise. */
export async function loadData(): Promise<VerifyData> {
  const path = new URL('../public/datasets/verified/redis.tlab', import.meta.url).pathname;
  const read = await readBundle(new Uint8Array(readFileSync(path)));
  if (!read.ok) throw new Error(`${path}: ${read.error.kind}`);
  const d = buildVerifiedDataset([{ label: 'redis', bundle: read.bundle }]);
  const { rows } = usableRows(d, SERVICE, INPUTS, 'p99_us');
  const columns = INPUTS.map((id) => d.values.get(id)!);
  const scale = fitMinMax(columns, rows);
  const target = fitTarget(d.latency.p99_us, rows, 'log');
  const D = INPUTS.length;
  const x = new Float32Array(rows.length * D);
  const y = new Float32Array(rows.length);
  rows.forEach((r, k) => {
    for (let c = 0; c < D; c++) x[k * D + c] = scaleInput(scale, c, columns[c]![r]!);
    y[k] = scaleTarget(target, d.latency.p99_us[r]!);
  });
  const note = `shipped data public/datasets/verified/redis.tlab (tlab bench): ${rows.length} intervals, inputs ${INPUTS.join(', ')} -> log p99 µs, MinMax-scaled`;
  return { x, y, rows: rows.length, inputs: INPUTS, directions: DIRECTIONS, note };
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
// data: a plain fit has dips along the PSI inputs at hundreds of data rows; 40 epochs with these pairs leave a
// few dozen; the rounds remove those.
const WARM_PAIRS = { perStep: 256, weight: 50, epsilon: 0.1, margin: 0.005 };
// Each round's verification is budgeted in work (boxes, HiGHS nodes), so the networks the bench verifies are the same
// on every machine and at any load; the seconds only guard against a runaway.
const CEGIS = { seed: 7, epochsPerRound: 5, maxRounds: 6, batchSize: 64, learningRate: 0.001, pairWeight: 50, epsilon: 0.1, margin: 0.005, randomPairsPerStep: 64, verifySeconds: 300, verify: { work: { boxes: 150, milpNodes: 1000 } } } as const;

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
