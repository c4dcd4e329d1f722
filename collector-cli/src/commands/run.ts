import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { runForecastExperiment, type ForecastResults } from '../../../core/forecast/experiment.ts';
import { parseForecastSpec } from '../../../core/forecast/spec.ts';
import type { EpochRecord } from '../../../core/ml/train.ts';
import { typedArraysAsLists } from '../../../core/specs/results-json.ts';
import { runSchedExperiment, type SchedResults } from '../../../core/sched-lab/experiment.ts';
import { parseSchedSpec } from '../../../core/sched-lab/spec.ts';
import { CancelledError } from '../../../core/ml/train.ts';
import { describeEngine, setComputeTarget } from '../../../core/ml/compute-target.ts';
import { readBundleFile } from '../bundle-file.ts';
import { OutputError, checkOutputPath, writeFileSafely } from '../safe-output.ts';
import { writeControl } from '../terminal-output.ts';
import { NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../node-backend.ts';
import { formatForecastResults } from '../run/forecast-report.ts';
import { formatSchedResults } from '../run/sched-report.ts';
import { formatVerifiedResults } from '../run/verified-report.ts';
import { runVerifiedExperiment, type VerifiedResults } from '../../../core/verified-lab/experiment.ts';
import { parseVerifiedSpec } from '../../../core/verified-lab/spec.ts';
import { verifiedModelFile } from '../../../core/verified-lab/certificate.ts';
import { loadHighsSolver, milpLoadError } from '../../../core/verify/highs-solver.ts';
import { runFingerprintExperiment, type FingerprintResults } from '../../../core/fingerprint/experiment.ts';
import { parseFingerprintSpec } from '../../../core/fingerprint/spec.ts';
import { formatFingerprintResults } from '../run/fingerprint-report.ts';

function fail(message: string): never {
  console.error(`tlab run: ${message}`);
  process.exit(2);
}

function readSpec(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    fail(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`${path} is not JSON: ${(e as Error).message}`);
  }
}

function epochLine(model: string | undefined, e: EpochRecord | undefined): string | undefined {
  return e ? `${model}: epoch ${e.epoch} train loss ${e.trainLoss.toFixed(3)}, validation loss ${e.valLoss.toFixed(3)}, top-1 ${(e.valTop1 * 100).toFixed(1)}%` : undefined;
}

/**
 * On a terminal one line is rewritten; in a log only changes of `key` are written, one per line (with `line`
 * instead of the message when given).
 */
function progressPrinter(quiet: boolean): (message: string, fraction: number, key: string, line?: string) => void {
  let last = '';
  return (message, fraction, key, line) => {
    if (quiet) return;
    const pct = `${Math.round(fraction * 100)}%`;
    if (process.stderr.isTTY) {
      writeControl(process.stderr, '\r\x1b[K');
      process.stderr.write(`${pct} ${message}${fraction >= 1 ? '\n' : ''}`);
    } else if (key !== last) {
      last = key;
      process.stderr.write(`${pct} ${line ?? message}\n`);
    }
  };
}

export function runCommand(): Command {
  return new Command('run')
    .description('Run an experiment spec (the same core code as the app) and print its result table')
    .argument('<spec>', 'experiment spec (JSON); bundle paths are relative to it')
    .option('--json', 'print the results as one JSON object')
    .option('--out <file>', 'also write the full results (JSON) to this file')
    .option('--backend <name>', `where models train: engine (core/engine on the CPU, its fastest kernels), engine-js (its plain-JS kernels), or a tfjs backend (${NODE_BACKENDS.join(', ')})`, 'engine')
    .option('--model-out <file>', 'verified lab: also write the verified model with its certificate (JSON), to re-check or load in the app')
    .option('--quiet', 'no progress on stderr')
    .action(async (specPath: string, flags: { json?: boolean; out?: string; modelOut?: string; backend: string; quiet?: boolean }) => {
      const raw = readSpec(specPath);
      for (const out of [flags.out, flags.modelOut]) {
        if (!out) continue;
        try {
          checkOutputPath(out);
        } catch (e) {
          fail((e as Error).message);
        }
      }
      const lab = (raw as { lab?: unknown } | null)?.lab;
      if (lab !== 'sched' && lab !== 'forecast' && lab !== 'verified' && lab !== 'fingerprint') fail(`${specPath}: "lab" must be "sched" (scheduling lab), "forecast" (forecast lab), "verified" (verified lab) or "fingerprint" (fingerprint lab), got ${JSON.stringify(lab)}`);
      if (flags.modelOut && lab !== 'verified') fail('--model-out is for verified-lab specs');
      let backend: string;
      if (flags.backend === 'engine' || flags.backend === 'engine-js') {
        setComputeTarget(flags.backend === 'engine' ? { kind: 'engine' } : { kind: 'engine', kernel: 'js' });
        backend = `${describeEngine()} (Node)`;
      } else {
        if (!(NODE_BACKENDS as readonly string[]).includes(flags.backend)) fail(`unknown backend "${flags.backend}" (choose engine, engine-js, ${NODE_BACKENDS.join(', ')})`);
        await useNodeBackend(flags.backend as NodeBackend);
        setComputeTarget({ kind: 'tfjs' });
        backend = `tfjs-${flags.backend} (Node)`;
      }
      const base = dirname(resolve(specPath));
      const controller = new AbortController();
      // The verified lab's run is synchronous (training and verification do not yield), so a listener would never
      // run: Ctrl-C keeps its default there and ends the process at once, with nothing half-written.
      if (lab !== 'verified' && lab !== 'fingerprint') process.once('SIGINT', () => controller.abort());
      const progress = progressPrinter(!!flags.quiet);
      try {
        let results: SchedResults | ForecastResults | VerifiedResults | FingerprintResults;
        let text: () => string;
        if (lab === 'sched') {
          const spec = parseSchedSpec(raw);
          const inputs = [];
          for (const ref of spec.bundles) inputs.push({ ref, bundle: await readBundleFile(resolve(base, ref.path)) });
          const r = await runSchedExperiment(spec, inputs, { backend, signal: controller.signal, onProgress: (p) => progress(p.message, p.fraction, `${p.phase} ${p.model ?? ''} ${p.train?.epochDone?.epoch ?? ''}`, epochLine(p.model, p.train?.epochDone)) });
          results = r;
          text = () => formatSchedResults(r);
        } else if (lab === 'fingerprint') {
          const spec = parseFingerprintSpec(raw);
          const inputs = [];
          for (const ref of spec.bundles) inputs.push({ ...ref, bundle: await readBundleFile(resolve(base, ref.path)) });
          const r = runFingerprintExperiment(spec, inputs, { onProgress: (p) => progress(p.message, p.fraction, p.phase) });
          results = r;
          text = () => formatFingerprintResults(r);
        } else if (lab === 'verified') {
          if (flags.backend !== 'engine' && flags.backend !== 'engine-js') fail('the verified lab trains on the engine (its verifier and counterexample training work on the engine\'s MLP): use --backend engine or engine-js');
          const spec = parseVerifiedSpec(raw);
          // The verifier's exact step (HiGHS, WASM) is loaded first; without it boxes the bounds cannot settle stay unknown.
          if (!(await loadHighsSolver())) process.stderr.write(`tlab run: the MILP solver did not load (${milpLoadError()}); boxes the bounds cannot settle will be reported unknown\n`);
          const bundles = [];
          for (const ref of spec.bundles) bundles.push({ label: ref.path, bundle: await readBundleFile(resolve(base, ref.path)) });
          const r = runVerifiedExperiment(spec, bundles, { signal: controller.signal, onProgress: (p) => progress(p.message, p.fraction, `${p.phase} ${p.epoch?.round ?? ''}`, p.phase === 'verifying' ? undefined : p.message) });
          results = r;
          text = () => formatVerifiedResults(r);
          if (flags.modelOut) {
            const file = verifiedModelFile({ service: r.service, target: r.target.id, inputs: r.inputs.map((i) => i.id), inputScaling: r.scaling.inputs, targetScaling: r.scaling.target, weights: r.weights.verified, certificate: r.certificate });
            await writeFileSafely(flags.modelOut, new TextEncoder().encode(JSON.stringify(file)));
          }
        } else {
          const spec = parseForecastSpec(raw);
          const bundle = await readBundleFile(resolve(base, spec.bundle.path));
          const r = await runForecastExperiment(spec, bundle, { backend, signal: controller.signal, onProgress: (p) => progress(p.message, p.fraction, `${p.inputs ?? ''} ${p.grid?.model ?? ''}`) });
          results = r;
          text = () => formatForecastResults(r);
        }
        if (flags.out) await writeFileSafely(flags.out, new TextEncoder().encode(JSON.stringify(results, typedArraysAsLists, 1)));
        console.log(flags.json ? JSON.stringify(results, typedArraysAsLists) : text());
      } catch (e) {
        if (e instanceof CancelledError || controller.signal.aborted) fail('cancelled');
        if (e instanceof OutputError) fail(e.message);
        fail(`${specPath}: ${(e as Error).message}`);
      }
    });
}
