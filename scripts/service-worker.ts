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

/**
 * The service worker's source. `shell` is what opens the overview (paths relative to the site root): it is fetched
 * when the worker installs; the labs' pages, workers and WASM are kept when first used.
 */
export function serviceWorkerSource(shell: readonly string[], datasets: readonly string[] = datasetPrecache()): string {
  const precache = ['./', './index.html', ...shell.map((f) => `./${f}`), ...datasets.map((d) => `./${d}`)];
  const version = createHash('sha256').update(JSON.stringify(precache)).update(readFileSync(TEMPLATE)).digest('hex').slice(0, 16);
  return readFileSync(TEMPLATE, 'utf8')
    .replace('__VERSION__', JSON.stringify(version))
    .replace('__PRECACHE__', JSON.stringify(precache, null, 2));
}

/** What a build's output needs to open the overview: the entry chunk, what it imports statically, the CSS, the loader worker and its inflate workers. */
export function shellFiles(bundle: Readonly<Record<string, { type: 'chunk' | 'asset'; isEntry?: boolean; imports?: readonly string[] }>>): string[] {
  const out = new Set<string>();
  const visit = (name: string) => {
    const item = bundle[name];
    if (!item || out.has(name)) return;
    out.add(name);
    if (item.type === 'chunk') for (const i of item.imports ?? []) visit(i);
  };
  for (const [name, item] of Object.entries(bundle)) {
    if (item.type === 'chunk' && item.isEntry) visit(name);
    else if (/\.css$/.test(name) || /(^|\/)(bundle-loader|inflate)\.worker-[^/]*\.js$/.test(name)) out.add(name);
  }
  return [...out].filter((f) => f !== 'index.html' && !f.endsWith('.map')).sort();
}

/**
 * Build only: writes sw.js beside index.html. It precaches only the overview's shell (about 1.5 MB, not the build's
 * 17 MB): precaching everything beside the first bundle's load delayed its first chart by ~400 ms on this VM.
 */
export function serviceWorkerPlugin(): Plugin {
  return {
    name: 'tlab-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: serviceWorkerSource(shellFiles(bundle)) });
    },
  };
}
