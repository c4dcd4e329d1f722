import { Command } from 'commander';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareHeadlines, headline, type Comparison } from '../../../core/specs/headline.ts';
import { driveBrowser, ReplayError } from '../replay/drive-browser.ts';
import { reportHtml } from '../replay/report-html.ts';
import { serveStatic, type StaticServer } from '../replay/static-server.ts';
import { OutputError, writeFileSafely } from '../safe-output.ts';
import { producerVersion } from '../version.ts';

const LABS = ['verified', 'sched', 'forecast', 'fingerprint'] as const;
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC_ROUTE = '/__replay/spec.json';

function fail(message: string, code = 2): never {
  console.error(`tlab replay: ${message}`);
  process.exit(code);
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function appCommit(): string {
  try {
    const head = execFileSync('git', ['-C', ROOT, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/** `tlab run SPEC --json` in a child process: the same spec through the same core code in Node. */
function runInNode(specPath: string, signal: AbortSignal): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'collector-cli/bin/tlab.js'), 'run', specPath, '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = () => child.kill('SIGTERM');
    signal.addEventListener('abort', kill, { once: true });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => {
      signal.removeEventListener('abort', kill);
      if (code !== 0) reject(new ReplayError(`tlab run failed (exit ${code}): ${err.trim().slice(-400)}`));
      else {
        try {
          resolvePromise(JSON.parse(out) as unknown);
        } catch (e) {
          reject(new ReplayError(`tlab run printed no JSON: ${(e as Error).message}`));
        }
      }
    });
  });
}

export function replayCommand(): Command {
  return new Command('replay')
    .description('Replay an experiment spec in the real app: start the built site, run the spec in Chromium on the page\'s own workers, and write results, figures and a report')
    .argument('<spec>', 'experiment spec (JSON) of the verified, sched, forecast or fingerprint lab; bundle paths relative to it, as tlab run reads them (the page finds the same files among its datasets)')
    .option('--out <dir>', 'where to write results.json, spec.json, charts/*.png, page.png and report.html (default replay-out/<spec name>)')
    .option('--backend <name>', 'the compute backend the page trains on: engine, webgpu, webgl, wasm or cpu (default: the app\'s own choice after its probe)')
    .option('--headed', 'show the browser window')
    .option('--url <url>', 'replay on this site instead of serving the build (the spec travels in the link)')
    .option('--site <dir>', 'the built site to serve (default dist/, from npx vite build)')
    .option('--check-node', 'also run the spec with tlab run in Node and compare the figures (exit 1 if they differ beyond tolerance)')
    .option('--timeout <seconds>', 'give up on the browser run after this long', '900')
    .action(async (specArg: string, flags: { out?: string; backend?: string; headed?: boolean; url?: string; site?: string; checkNode?: boolean; timeout: string }) => {
      const specPath = resolve(specArg);
      let spec: unknown;
      try {
        spec = JSON.parse(readFileSync(specPath, 'utf8')) as unknown;
      } catch (e) {
        fail(`cannot read the spec ${specArg}: ${(e as Error).message}`);
      }
      const lab = (spec as { lab?: unknown } | null)?.lab;
      if (!(LABS as readonly unknown[]).includes(lab)) fail(`${specArg}: "lab" must be one of ${LABS.join(', ')} to replay, got ${JSON.stringify(lab)}`);
      const timeoutS = Number(flags.timeout);
      if (!(timeoutS > 0)) fail(`--timeout must be a positive number of seconds, got ${flags.timeout}`);
      const name = basename(specPath).replace(/\.json$/i, '');
      const out = resolve(flags.out ?? join('replay-out', name));
      const site = resolve(flags.site ?? join(ROOT, 'dist'));
      if (!flags.url && !existsSync(join(site, 'index.html'))) fail(`no built site at ${site} (build it with npx vite build, or give --site DIR or --url URL)`);
      mkdirSync(join(out, 'charts'), { recursive: true });

      const controller = new AbortController();
      let server: StaticServer | null = null;
      process.once('SIGINT', () => {
        log('tlab replay: stopping (Ctrl-C): closing the browser and the server');
        controller.abort();
      });
      try {
        const specText = JSON.stringify(spec);
        server = flags.url ? null : await serveStatic(site, { [SPEC_ROUTE]: { type: 'application/json', body: specText } });
        const siteUrl = flags.url ?? server!.url;
        if (server) log(`serving ${site} at ${server.url}`);
        const node = flags.checkNode ? runInNode(specPath, controller.signal) : null;
        node?.catch(() => undefined);
        const run = await driveBrowser({
          siteUrl,
          lab: lab as string,
          spec: flags.url ? specText : SPEC_ROUTE.slice(1),
          ...(flags.backend ? { backend: flags.backend } : {}),
          headed: !!flags.headed,
          timeoutMs: timeoutS * 1000,
          chromium: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          log,
          signal: controller.signal,
        });
        log(`the browser run finished in ${run.seconds.toFixed(1)} s (${run.backendText || 'backend not shown'})`);
        const table = headline(run.results);
        let comparison: Comparison | null = null;
        if (node) {
          log('waiting for tlab run in Node…');
          const nodeResults = await node;
          // The same kernels (the engine's, in both) must give the same trained figures; other backends are compared for
          // information. Plain JS needs no such care: the fingerprint lab, which names no backend, has no trained figures
          // (its exp and log are core/numeric/det-math.ts, the same bits on both V8 versions).
          const kernels = (r: unknown) => String((r as { backend?: unknown }).backend ?? 'plain JS').replace(/ \(Node\)$/, '');
          const sameKernels = kernels(run.results) === kernels(nodeResults) && kernels(run.results).startsWith('engine');
          const trained = table.rows.some((r) => r.agreement === 'trained');
          if (!sameKernels && trained) log(`the page trained on ${kernels(run.results)}, Node on ${kernels(nodeResults)}: trained figures are compared for information only`);
          comparison = compareHeadlines(table, headline(nodeResults), sameKernels);
        }
        const charts = run.charts.map((c) => ({ ...c, file: `charts/${c.id}.png` }));
        const write = (file: string, data: string | Uint8Array) => writeFileSafely(join(out, file), typeof data === 'string' ? new TextEncoder().encode(data) : data);
        await write('results.json', JSON.stringify(run.results, null, 1));
        await write('spec.json', `${JSON.stringify(spec, null, 2)}\n`);
        await write('headline.json', JSON.stringify({ ...table, comparison }, null, 1));
        for (const c of charts) await write(c.file, c.png);
        await write('page.png', run.page);
        const resultsBackend = (run.results as { backend?: unknown }).backend;
        const command = `npx tlab replay ${specArg}${flags.out ? ` --out ${flags.out}` : ''}${flags.backend ? ` --backend ${flags.backend}` : ''}${flags.url ? ` --url ${flags.url}` : ''}${flags.checkNode ? ' --check-node' : ''}`;
        await write(
          'report.html',
          reportHtml({
            specName: name,
            headline: table,
            charts,
            comparison,
            spec,
            command,
            versions: {
              'app commit': appCommit(),
              'tlab version': producerVersion(),
              'engine / backend (page)': typeof resultsBackend === 'string' ? resultsBackend : run.backendText,
              Chromium: run.browserVersion,
              Node: process.version,
            },
            seconds: run.seconds,
            createdAt: new Date().toISOString(),
          }),
        );
        log(`wrote ${out}/report.html, results.json, spec.json, headline.json, page.png and ${charts.length} chart PNGs`);
        for (const row of table.rows) log(`  ${row.key}: ${Object.entries(row.figures).map(([k, v]) => `${k} ${Number.isFinite(v) ? v.toPrecision(4) : '–'}`).join(', ')}`);
        if (comparison) {
          const judged = comparison.differences.filter((d) => d.ok !== null);
          const unjudged = comparison.differences.filter((d) => d.ok === null);
          const worst = [...judged].sort((a, b) => b.relative - a.relative)[0];
          const listed = unjudged.length ? `; ${unjudged.length} trained figures listed, not judged (other arithmetic), the largest relative difference among them ${Math.max(...unjudged.map((d) => d.relative)).toExponential(2)}` : '';
          log(
            comparison.ok
              ? `browser and Node agree: ${judged.length} figures, the largest relative difference ${worst ? `${worst.relative.toExponential(2)} (${worst.key}, ${worst.figure})` : '0'}${listed}`
              : `browser and Node DIFFER: ${comparison.differences.filter((d) => d.ok === false).map((d) => `${d.key} ${d.figure}: ${d.a} vs ${d.b}`).join('; ')}${comparison.missing.length ? `; rows on one side only: ${comparison.missing.join(', ')}` : ''}`,
          );
          if (!comparison.ok) process.exitCode = 1;
        }
      } catch (e) {
        if (controller.signal.aborted) fail('stopped', 130);
        if (e instanceof ReplayError || e instanceof OutputError) fail(e.message);
        fail((e as Error).message);
      } finally {
        await server?.close();
      }
    });
}
