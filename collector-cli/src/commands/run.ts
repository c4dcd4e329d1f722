import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { runSchedExperiment } from '../../../core/sched-lab/experiment.ts';
import { parseSchedSpec } from '../../../core/sched-lab/spec.ts';
import { CancelledError } from '../../../core/ml/train.ts';
import { readBundleFile } from '../bundle-file.ts';
import { NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../node-backend.ts';
import { formatSchedResults } from '../run/sched-report.ts';

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

export function runCommand(): Command {
  return new Command('run')
    .description('Run an experiment spec (the same core code as the app) and print its result table')
    .argument('<spec>', 'experiment spec (JSON); bundle paths are relative to it')
    .option('--json', 'print the results as one JSON object')
    .option('--out <file>', 'also write the full results (JSON) to this file')
    .option('--backend <name>', `tfjs backend (${NODE_BACKENDS.join(', ')})`, 'wasm')
    .option('--quiet', 'no progress on stderr')
    .action(async (specPath: string, flags: { json?: boolean; out?: string; backend: string; quiet?: boolean }) => {
      const raw = readSpec(specPath);
      const lab = (raw as { lab?: unknown } | null)?.lab;
      if (lab !== 'sched') fail(`${specPath}: "lab" must be "sched" (the scheduling lab), got ${JSON.stringify(lab)}`);
      let spec;
      try {
        spec = parseSchedSpec(raw);
      } catch (e) {
        fail(`${specPath}: ${(e as Error).message}`);
      }
      if (!(NODE_BACKENDS as readonly string[]).includes(flags.backend)) fail(`unknown backend "${flags.backend}" (choose ${NODE_BACKENDS.join(', ')})`);
      await useNodeBackend(flags.backend as NodeBackend);
      const base = dirname(resolve(specPath));
      const inputs = [];
      for (const ref of spec.bundles) inputs.push({ ref, bundle: await readBundleFile(resolve(base, ref.path)) });
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      let last = '';
      try {
        const results = await runSchedExperiment(spec, inputs, {
          backend: `tfjs-${flags.backend} (Node)`,
          signal: controller.signal,
          onProgress: (p) => {
            if (flags.quiet) return;
            // On a terminal one line is rewritten; in a log only phase changes are written, one per line.
            if (process.stderr.isTTY) {
              process.stderr.write(`\r\x1b[K${Math.round(p.fraction * 100)}% ${p.message}${p.phase === 'done' ? '\n' : ''}`);
            } else {
              const key = `${p.phase} ${p.model ?? ''} ${p.train?.epochDone?.epoch ?? ''}`;
              if (key === last) return;
              last = key;
              const e = p.train?.epochDone;
              process.stderr.write(`${Math.round(p.fraction * 100)}% ${e ? `${p.model}: epoch ${e.epoch} train loss ${e.trainLoss.toFixed(3)}, validation loss ${e.valLoss.toFixed(3)}, top-1 ${(e.valTop1 * 100).toFixed(1)}%` : p.message}\n`);
            }
          },
        });
        if (flags.out) await writeFile(flags.out, JSON.stringify(results, null, 1));
        console.log(flags.json ? JSON.stringify(results) : formatSchedResults(results));
      } catch (e) {
        if (e instanceof CancelledError) fail('cancelled');
        fail((e as Error).message);
      }
    });
}
