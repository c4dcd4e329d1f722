import { bestKernel } from '../../core/engine/kernels.ts';
import { finiteDifferenceCheck } from '../../core/engine/gradient-check.ts';
import { Mlp, mlpInitialWeights } from '../../core/engine/mlp.ts';
import { Adam } from '../../core/engine/optim.ts';
import { SequenceNet } from '../../core/engine/sequence-net.ts';
import { Rng } from '../../core/ml/rng.ts';
import { initialWeights, type SequenceModelConfig } from '../../core/ml/sequence-config.ts';
import { describeEngine } from '../../core/ml/compute-target.ts';
import { measureSteps } from './measure-steps.ts';
import type { BackendReport, GradientCheck } from './types.ts';

/** The engine's training step on the probe's shape (an MLP 32→64→1, batch 256, Adam, loss read each step). */
async function benchmarkEngineStep() {
  const rng = new Rng(7);
  const config = { inputs: 32, hidden: [64], outputs: 1 };
  const net = new Mlp(config, mlpInitialWeights(config, rng), 256);
  const x = Float32Array.from({ length: 256 * 32 }, () => rng.normal());
  const y = Float32Array.from({ length: 256 }, (_, i) => Math.tanh(x[i * 32]! * 0.7) + Math.sin(x[i * 32 + 1]!));
  const adam = new Adam(1e-3);
  return measureSteps(() => net.trainStep(x, y, 256, adam).loss);
}

/** Finite-difference checks of the layers the labs train, on this runtime's kernels. */
function engineGradientChecks(): GradientCheck[] {
  const rng = new Rng(5);
  const seq = (c: SequenceModelConfig, name: string): GradientCheck => {
    const net = new SequenceNet(c, initialWeights(c, rng.fork()), 3, 6);
    const x = Float32Array.from({ length: 3 * 6 * c.inputSize }, () => rng.normal());
    const y = Int32Array.from({ length: 3 }, () => rng.int(c.outputs));
    return result(name, finiteDifferenceCheck(net.arena, net.params, () => net.lossAndGradients(x, 3, { kind: 'classify', y }), rng));
  };
  const mlp = (): GradientCheck => {
    const c = { inputs: 4, hidden: [8, 8], outputs: 1 };
    const net = new Mlp(c, mlpInitialWeights(c, rng.fork()), 16);
    const x = Float32Array.from({ length: 24 }, () => rng.normal());
    const y = Float32Array.from({ length: 6 }, () => rng.normal());
    const lo = Float32Array.from({ length: 16 }, () => rng.normal());
    const pairs = { lo, hi: lo.map((v, i) => (i % 4 === 0 ? v + 1 : v)), count: 4, weight: 0.5, margin: 1 };
    return result('MLP + monotonicity hinge', finiteDifferenceCheck(net.arena, net.params, () => net.lossAndGradients(x, y, 6, pairs).loss, rng));
  };
  return [
    seq({ kind: 'lstm', inputSize: 5, embed: 4, units: 6, layers: 1, outputs: 3 }, 'LSTM (fused gates, BPTT)'),
    seq({ kind: 'tcn', inputSize: 5, embed: 6, filters: 6, kernel: 3, dilations: [1, 2], outputs: 3 }, 'TCN (dilated causal conv, residual)'),
    mlp(),
  ];
}

function result(name: string, r: { worstError: number; worst: string; checked: number }): GradientCheck {
  return r.worstError <= 1 ? { name, ran: true, ok: true } : { name, ran: true, ok: false, error: `finite differences disagree: ${r.worst}` };
}

/** The engine's row in the probe: always available (plain JS where WASM SIMD is missing), measured like the rest. */
export async function probeEngine(benchmark: boolean): Promise<BackendReport> {
  const t0 = performance.now();
  const kernel = bestKernel();
  const report: BackendReport = {
    name: 'engine',
    available: true,
    initMs: 0,
    adapter: { description: describeEngine(kernel) },
    notes: kernel === 'js' ? ['no WebAssembly SIMD in this runtime: plain-JS kernels'] : [],
  };
  if (benchmark) {
    report.benchmark = await benchmarkEngineStep();
    const g0 = performance.now();
    report.gradients = engineGradientChecks();
    report.gradientsMs = performance.now() - g0;
    for (const g of report.gradients) if (!g.ok) report.notes!.push(`cannot train ${g.name}: ${g.error}`);
  }
  if (report.notes!.length === 0) delete report.notes;
  report.probeMs = performance.now() - t0;
  return report;
}
