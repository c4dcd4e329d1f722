import { enableRelaxedSimd } from '../collector-cli/src/relaxed-simd.ts';
enableRelaxedSimd();
const { Mlp, mlpInitialWeights } = await import('../core/engine/mlp.ts');
const { SequenceNet } = await import('../core/engine/sequence-net.ts');
const { Adam } = await import('../core/engine/optim.ts');
const { Rng } = await import('../core/ml/rng.ts');
const { initialWeights } = await import('../core/ml/sequence-config.ts');
const rng = new Rng(1);
const which = process.argv[2] ?? 'mlp';
let step: () => number;
if (which === 'mlp') {
  const c = { inputs: 8, hidden: [300, 300], outputs: 1 };
  const net = new Mlp(c, mlpInitialWeights(c, rng), 256);
  const x = Float32Array.from({ length: 256 * 8 }, () => rng.normal());
  const y = Float32Array.from({ length: 256 }, () => rng.normal());
  const adam = new Adam(1e-3);
  step = () => net.trainStep(x, y, 256, adam).loss;
} else {
  const c = which === 'lstm' ? { kind: 'lstm', inputSize: 16, embed: 16, units: 64, layers: 1, outputs: 1 } as const : { kind: 'tcn', inputSize: 16, embed: 64, filters: 64, kernel: 3, dilations: [1, 2, 4, 8], outputs: 1 } as const;
  const net = new SequenceNet(c, initialWeights(c, rng), 64, 32);
  const x = Float32Array.from({ length: 64 * 32 * 16 }, () => rng.normal());
  const y = Float32Array.from({ length: 64 }, () => rng.normal());
  const adam = new Adam(1e-3);
  step = () => net.trainStep(x, 64, { kind: 'regress', y }, adam);
}
for (let i = 0; i < 20; i++) step();
const t0 = performance.now(); let n = 0;
while (performance.now() - t0 < 4000) { step(); n++; }
console.log(which, (n / ((performance.now() - t0) / 1000)).toFixed(1), 'steps/s');
