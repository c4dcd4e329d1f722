// `npm run bench -- --only verify`: the monotonicity verifier on vPALs-shaped MLPs (bench/verify-networks.ts: 2×300
// and 3×512 ReLU, five inputs, three of them increasing), each trained on the engine twice: a plain MSE fit and a
// counterexample-guided one (core/verify/cegis.ts). Per network, the complete mode (linear bounds, branch and bound,
// the HiGHS MILP on boxes the bounds cannot settle) and the Ouroboros-style mode (interval gradient + bisection)
// each get the same time budget over the whole box, all monotone inputs:
//   full_box_seconds            complete mode, counterexample-guided net: seconds to its answer (the budget when unknown)
//   verified_volume             the fraction of the box it proved
//   ouroboros_seconds           the Ouroboros-style mode on the same net: seconds to its answer
//   ouroboros_verified_volume   the fraction it proved
//   plain_full_box_seconds      complete mode on the plain fit (with its status: falsified, usually from a data row)
//   plain_ouroboros_seconds     the Ouroboros-style mode on the plain fit ("not-proven": it never gives a pair)
//   train_seconds               counterexample-guided training (with its verifications)
//   sub_box_seconds             the whole box being out of reach in the budget for both modes on these nets, the
//   sub_box_verified            same comparison on 8 random cells of a grid over the box (1/4 of each input's range
//   ouroboros_sub_box_seconds   for 2×300, 1/8 for 3×512; 20 s each): mean seconds to an answer (a cell out of
//   ouroboros_sub_box_verified  time counts its budget) and the fraction of cells verified, per mode
// Every row carries the answer in `status` and the data's provenance in `notes` (the shipped redis recording). TLAB_VERIFY_SECONDS sets the budget per verification (default 60);
// TLAB_VERIFY_CELLS (default 8) and TLAB_VERIFY_CELL_SECONDS (default 20) size the cell comparison;
// TLAB_VERIFY_DUMP=DIR writes each network (weights, spec, data rows) there as JSON, to study it offline.
import { mkdirSync, writeFileSync } from 'node:fs';
import { engineKernel } from '../core/ml/compute-target.ts';
import { Rng } from '../core/ml/rng.ts';
import { loadHighsSolver } from '../core/verify/highs-solver.ts';
import { reluNetFromWeights } from '../core/verify/relu-net.ts';
import { verifyMonotone, type VerifyResult } from '../core/verify/verify.ts';
import type { BenchRow } from './report.ts';
import { verifyNetworks } from './verify-networks.ts';

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function benchVerify(): Promise<BenchRow[]> {
  const seconds = Number(process.env.TLAB_VERIFY_SECONDS ?? 60);
  const cells = Number(process.env.TLAB_VERIFY_CELLS ?? 8);
  const cellSeconds = Number(process.env.TLAB_VERIFY_CELL_SECONDS ?? 20);
  const solver = await loadHighsSolver();
  if (!solver) log('verify: HiGHS did not load; the complete mode runs without its exact step');
  const kernel = engineKernel();
  const backend = `engine-${kernel}`;
  const rows: BenchRow[] = [];
  const nets = await verifyNetworks({ kernel });
  const describe = (r: VerifyResult) =>
    `${r.mode} ${r.status}, verified volume ${r.verifiedVolume.toPrecision(3)}, ${r.boxes} boxes, ${r.seconds.toFixed(1)} s` +
    (r.mode === 'complete' ? `, MILP ${r.milp.solves} solves (${r.milp.proved} proofs, ${r.milp.seconds.toFixed(1)} s)` : '');
  const dump = process.env.TLAB_VERIFY_DUMP;
  if (dump) mkdirSync(dump, { recursive: true });
  for (const n of nets) {
    if (dump) {
      const weights = n.weights.map((w) => ({ name: w.name, shape: w.shape, data: Array.from(w.data) }));
      writeFileSync(`${dump}/${n.name}-${n.training}.json`, JSON.stringify({ weights, spec: n.spec, data: n.data }));
    }
    const net = reluNetFromWeights(n.weights);
    const common = { data: n.data, seed: 1, maxSeconds: seconds };
    const complete = verifyMonotone(net, n.spec, { ...common, mode: 'complete' });
    const ouro = verifyMonotone(net, n.spec, { ...common, mode: 'ouroboros' });
    log(`verify ${n.name} (${n.training}, trained in ${n.trainSeconds.toFixed(1)} s): ${describe(complete)}; ${describe(ouro)}`);
    const row = (metric: string, value: number, unit: string, status: string, notes: string): BenchRow => ({ suite: 'verify', model: n.name, backend, metric, value, unit, status, notes });
    const how = (r: VerifyResult) => `${describe(r)}; ${n.notes}`;
    if (n.training === 'cegis') {
      rows.push(row('full_box_seconds', complete.seconds, 's', complete.status, how(complete)));
      rows.push(row('verified_volume', complete.verifiedVolume, 'fraction', complete.status, how(complete)));
      rows.push(row('ouroboros_seconds', ouro.seconds, 's', ouro.status, how(ouro)));
      rows.push(row('ouroboros_verified_volume', ouro.verifiedVolume, 'fraction', ouro.status, how(ouro)));
      rows.push(row('train_seconds', n.trainSeconds, 's', n.rounds?.at(-1)?.result.status ?? '', n.notes));
      const grid = n.name === 'mlp-2x300' ? 4 : 8;
      for (const mode of ['complete', 'ouroboros'] as const) {
        const rng = new Rng(5);
        const results: VerifyResult[] = [];
        for (let c = 0; c < cells; c++) {
          const lo = n.spec.lo.map((l, i) => l + (rng.int(grid) * (n.spec.hi[i]! - l)) / grid);
          const hi = lo.map((l, i) => l + (n.spec.hi[i]! - n.spec.lo[i]!) / grid);
          results.push(verifyMonotone(net, { ...n.spec, lo, hi }, { seed: 1, maxSeconds: cellSeconds, mode }));
        }
        const mean = results.reduce((a, r) => a + r.seconds, 0) / cells;
        const share = results.filter((r) => r.status === 'verified').length / cells;
        const answers = results.map((r) => `${r.status} ${r.seconds.toFixed(1)} s`).join(', ');
        const note = `${cells} cells of 1/${grid} of each input's range, ${cellSeconds} s each: ${answers}; ${n.notes}`;
        log(`verify ${n.name} cells, ${mode}: ${answers}`);
        const prefix = mode === 'complete' ? '' : 'ouroboros_';
        const status = results.every((r) => r.status === 'verified') ? 'verified' : results.some((r) => r.status === 'falsified') ? 'falsified' : 'unknown';
        rows.push(row(`${prefix}sub_box_seconds`, mean, 's', status, note));
        rows.push(row(`${prefix}sub_box_verified`, share, 'fraction', status, note));
      }
    } else {
      rows.push(row('plain_full_box_seconds', complete.seconds, 's', complete.status, how(complete)));
      rows.push(row('plain_ouroboros_seconds', ouro.seconds, 's', ouro.status, how(ouro)));
    }
  }
  return rows;
}
