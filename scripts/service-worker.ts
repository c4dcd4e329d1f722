import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Plugin } from 'vite';

const TEMPLATE = new URL('../app/offline/sw-template.js', import.meta.url);
const DATASETS = new URL('../public/datasets/', import.meta.url).pathname;

/** Every index.json and spec.json under public/datasets/, and the lightest demo bundle: what opens offline at once. */
export function datasetPrecache(root = DATASETS): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name === 'index.json' || e.name === 'spec.json') out.push(`datasets/${relative(root, join(dir, e.name))}`);
    }
  };
  walk(root);
  const demos = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as { file: string; bytes: number }[];
  const lightest = [...demos].sort((a, b) => a.bytes - b.bytes)[0];
  if (lightest) out.push(`datasets/${lightest.file}`);
  return out.sort();
}

/** The service worker's source for a build whose output files are `files` (paths relative to the site root). */
export function serviceWorkerSource(files: readonly string[], datasets: readonly string[] = datasetPrecache()): string {
  const precache = ['./', './index.html', ...files.filter((f) => /\.(js|css|wasm|svg|png|ico|webmanifest)$/.test(f)).map((f) => `./${f}`), ...datasets.map((d) => `./${d}`)];
  const version = createHash('sha256').update(JSON.stringify(precache)).update(readFileSync(TEMPLATE)).digest('hex').slice(0, 16);
  return readFileSync(TEMPLATE, 'utf8')
    .replace('__VERSION__', JSON.stringify(version))
    .replace('__PRECACHE__', JSON.stringify(precache, null, 2));
}

/** Build only: writes sw.js beside index.html, listing every file the build emitted (their names carry hashes). */
export function serviceWorkerPlugin(): Plugin {
  return {
    name: 'tlab-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => f !== 'index.html' && !f.endsWith('.map'));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(files) });
    },
  };
}
