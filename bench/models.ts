// `npm run bench -- --only models`: training steps/s and single-sample inference latency of the LSTM, the TCN and
// skip-gram at the issue's reference shapes (bench/models-core.ts says exactly what is timed), on every backend
// there is: Node tfjs-wasm and tfjs-cpu, the typed-array paths (js-typed), Chromium's webgpu/webgl/wasm/cpu in a
// dedicated worker of the built app (needs `npm run build`), and, when Debian's PyTorch is installed, the PyTorch
// peer (../shared/peer-bench/torch_peer.py) with ratio rows: ours ÷ PyTorch's best thread setting, per model and
// metric (for steps/s below 1 means slower than PyTorch; for ms above 1 means slower).
// All figures are medians on a shared, noisy 2-core machine: compare within one run.
// TLAB_MODELS_SKIP=browser,peer,profile,cpu,wasm,engine-js,chromium-webgpu,… leaves parts out (a Chromium row's label skips it).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { useNodeBackend } from '../collector-cli/src/node-backend.ts';
import { benchModelsInChromium } from './models-browser.ts';
import { KERNEL_NAMES, kernelAvailable } from '../core/engine/kernels.ts';
import { benchEngine, benchModelTfjs, benchTyped, DEFAULT_BUDGET, MODEL_KEYS, MODEL_NAMES, PEER_MODEL, SG, type Budget, type ModelKey } from './models-core.ts';
import { profileTrainStep } from './models-profile.ts';
import type { BenchRow } from './report.ts';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('../../shared/peer-bench/torch_peer.py', import.meta.url));
// Seconds of timed training per model and thread setting in the peer (its default is 5).
const PEER_SECONDS = '4';
// tfjs's pure-JS cpu backend takes seconds per LSTM/TCN step: a few steps are enough for a median.
// Under load a TCN step on it can take tens of seconds: each measurement is capped at ~60 s (≥ 2 timed steps).
const CPU_BUDGET: Budget = { warmSteps: 1, seconds: 2, minSteps: 3, maxSteps: 100, slowFirstStepMs: 3000, capSeconds: 60 };

/** torch_peer.py's models, by the key of ours they match (its "tcn" is the 4-conv shape). */
const PEER_KEYS: Record<string, ModelKey> = { mlp: 'mlp', lstm: 'lstm', tcn: 'tcn-4conv', skipgram: 'skipgram' };
const PEER_NAMES: Record<string, string> = {
  mlp: 'mlp (torch_peer.py: Linear 8→300, ReLU, 300→300, ReLU, 300→1; batch 256, MSE, Adam)',
  lstm: 'lstm (torch_peer.py: nn.LSTM 16→64, Linear 1; batch 64, window 32, MSE, Adam)',
  tcn: 'tcn (torch_peer.py: 4 Conv1d k3 64f dil 1-2-4-8, left pad, ReLU, Linear 1; batch 64, window 32)',
  skipgram: `skipgram (torch_peer.py: 2 nn.Embedding ${SG.vocab}×${SG.dim}, bmm, logsigmoid; ${SG.pairs} pairs, ${SG.negatives} negatives, Adam)`,
};

const log = (line: string) => process.stderr.write(`${line}\n`);

interface PeerRun {
  model: string;
  threads: number;
  train: { stepsPerSec: number; firstStepMs: number };
  infer: { single_ms_p50: number };
  impl?: string;
}

/** Runs the PyTorch peer with 1 and 2 threads ("best"); null (and why) when torch is not importable. */
function runPeer(): { runs: PeerRun[]; torch: string } | { skipped: string } {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    return { skipped: `${PYTHON} cannot import torch (Debian's python3-torch is not installed): no PyTorch peer rows` };
  }
  if (!existsSync(PEER)) return { skipped: `${PEER} is missing: no PyTorch peer rows` };
  log(`models: PyTorch peer (${PEER} best ${PEER_SECONDS})…`);
  const r = spawnSync(PYTHON, [PEER, 'best', PEER_SECONDS], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { skipped: `torch_peer.py failed (exit ${r.status}): ${r.stderr.slice(-500)}` };
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const summary = lines.find((l) => 'best' in l) as { torch?: string } | undefined;
  const runs = lines.filter((l): l is PeerRun & Record<string, unknown> => typeof l.threads === 'number' && l.impl === undefined);
  return { runs, torch: summary?.torch ?? '?' };
}

function peerRows(runs: readonly PeerRun[]): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const r of runs) {
    const model = PEER_KEYS[r.model];
    if (!model) continue;
    const backend = `pytorch-${r.threads}threads`;
    const row = (metric: string, value: number, unit: string) => rows.push({ suite: 'models', model, backend, metric, value, unit });
    row('train_steps_per_second', r.train.stepsPerSec, 'steps/s');
    if (r.model === 'skipgram') row('train_pairs_per_second', r.train.stepsPerSec * SG.pairs, 'pairs/s');
    row('train_first_step_ms', r.train.firstStepMs, 'ms');
    row(r.model === 'skipgram' ? 'infer_nn_query_ms_p50' : 'infer_single_ms_p50', r.infer.single_ms_p50, 'ms');
  }
  return rows;
}

const HIGHER_IS_BETTER = new Set(['train_steps_per_second', 'train_pairs_per_second']);
const COMPARED = new Set([...HIGHER_IS_BETTER, 'infer_single_ms_p50', 'infer_nn_query_ms_p50']);

/** ours ÷ PyTorch's best thread setting (most steps/s, fewest ms), per our model, backend and metric. */
function ratioRows(ours: readonly BenchRow[], peer: readonly BenchRow[]): BenchRow[] {
  const best = new Map<string, number>();
  for (const p of peer) {
    const k = `${p.model}|${p.metric}`;
    const prev = best.get(k);
    const better = prev === undefined || (HIGHER_IS_BETTER.has(p.metric) ? p.value > prev : p.value < prev);
    if (better) best.set(k, p.value);
  }
  const out: BenchRow[] = [];
  for (const r of ours) {
    const key = r.model as ModelKey;
    if (!(key in PEER_MODEL) || !COMPARED.has(r.metric)) continue;
    const b = best.get(`${PEER_MODEL[key]}|${r.metric}`);
    if (b === undefined || b === 0 || r.value === 0) continue;
    out.push({ ...r, metric: `ratio_vs_pytorch_best:${r.metric}`, value: r.value / b, unit: HIGHER_IS_BETTER.has(r.metric) ? 'ours/pt (<1 slower)' : 'ours/pt (>1 slower)' });
  }
  return out;
}

export async function benchModels(): Promise<BenchRow[]> {
  const skip = new Set((process.env.TLAB_MODELS_SKIP ?? '').split(',').filter(Boolean));
  const rows: BenchRow[] = [];
  const notes: string[] = [`load average at start ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`];

  for (const backend of ['wasm', 'cpu'] as const) {
    if (skip.has(backend)) continue;
    await useNodeBackend(backend);
    for (const key of MODEL_KEYS) {
      const r = await benchModelTfjs(key, `node-tfjs-${backend}`, { budget: backend === 'cpu' ? CPU_BUDGET : DEFAULT_BUDGET });
      log(`models: node-tfjs-${backend} ${key}: ${r.filter((x) => x.metric === 'train_steps_per_second' || x.metric.startsWith('infer_')).map((x) => `${x.metric} ${x.value.toPrecision(4)}`).join(', ')}`);
      rows.push(...r);
    }
  }
  for (const kernel of KERNEL_NAMES.filter(kernelAvailable)) {
    if (skip.has(`engine-${kernel}`)) continue;
    const label = `engine-${kernel}-node`;
    for (const key of MODEL_KEYS) {
      if (key === 'skipgram') continue;
      // The plain-JS kernels are the fallback, an order slower: a short budget is enough for a median.
      const r = await benchEngine(key, label, kernel, { budget: kernel === 'js' ? CPU_BUDGET : DEFAULT_BUDGET });
      log(`models: ${label} ${key}: ${r.filter((x) => x.metric === 'train_steps_per_second' || x.metric.startsWith('infer_')).map((x) => `${x.metric} ${x.value.toPrecision(4)}`).join(', ')}`);
      rows.push(...r);
    }
  }
  log('models: js-typed…');
  rows.push(...(await benchTyped('js-typed')));

  if (!skip.has('browser')) {
    try {
      const b = await benchModelsInChromium([...MODEL_KEYS], log, skip);
      rows.push(...b.rows);
      notes.push(...b.notes);
    } catch (e) {
      notes.push(`chromium: ${(e as Error).message}`);
    }
  }

  if (!skip.has('profile')) {
    await useNodeBackend('wasm');
    for (const key of ['lstm', 'tcn', 'tcn-4conv'] as const) {
      log(`models: tf.profile of a ${key} training step on node-tfjs-wasm…`);
      rows.push(...(await profileTrainStep(key, 'node-tfjs-wasm')));
    }
  }

  if (!skip.has('peer')) {
    const peer = runPeer();
    if ('skipped' in peer) notes.push(peer.skipped);
    else {
      const pr = peerRows(peer.runs);
      notes.push(`PyTorch ${peer.torch} (${PYTHON} ${PEER} best ${PEER_SECONDS}); ratios are against its best thread setting per model and metric`);
      rows.push(...pr, ...ratioRows(rows, pr));
    }
  }
  for (const key of MODEL_KEYS) notes.push(`model ${key}: ${MODEL_NAMES[key]}`);
  for (const [k, name] of Object.entries(PEER_NAMES)) notes.push(`pytorch rows for ${PEER_KEYS[k]}: ${name}`);
  notes.push(`load average at end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const n of notes) log(`models: ${n}`);
  return rows;
}
