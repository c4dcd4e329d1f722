import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetPrecache, serviceWorkerSource, shellFiles } from './service-worker.ts';

const PUBLIC = new URL('../public/', import.meta.url).pathname;

/** The PRECACHE constant of a generated sw.js. */
function precacheOf(source: string): string[] {
  const m = /const PRECACHE = (\[[\s\S]*?\]);/.exec(source);
  if (!m) throw new Error('no PRECACHE in the generated service worker');
  return JSON.parse(m[1]!) as string[];
}

describe('the service worker written at build time', () => {
  it('precaches every dataset index and spec and the lightest demo, all files that exist', () => {
    const files = datasetPrecache();
    const demos = JSON.parse(readFileSync(`${PUBLIC}datasets/index.json`, 'utf8')) as { file: string; bytes: number }[];
    const lightest = demos.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    expect(files).toContain(`datasets/${lightest.file}`);
    expect(files).toContain('datasets/index.json');
    for (const lab of ['sched', 'forecast', 'verified', 'fingerprint']) expect(files).toContain(`datasets/${lab}/index.json`);
    // Only the lightest bundle: the others are cached when first opened.
    expect(files.filter((f) => f.endsWith('.tlab'))).toHaveLength(1);
    for (const f of files) expect(existsSync(`${PUBLIC}${f}`), f).toBe(true);
  });

  it('precaches the overview shell: the entry, its static imports, the CSS, the loader worker and its inflate workers; not the labs', () => {
    const bundle = {
      'index.html': { type: 'asset' as const },
      'assets/index-a.js': { type: 'chunk' as const, isEntry: true, imports: ['assets/shared-b.js'] },
      'assets/shared-b.js': { type: 'chunk' as const, imports: ['assets/deeper-c.js'] },
      'assets/deeper-c.js': { type: 'chunk' as const, imports: [] },
      'assets/SchedLabPage-d.js': { type: 'chunk' as const, imports: ['assets/shared-b.js'] },
      'assets/index-e.css': { type: 'asset' as const },
      'assets/bundle-loader.worker-f.js': { type: 'asset' as const },
      'assets/inflate.worker-h.js': { type: 'asset' as const },
      'assets/sched-lab.worker-g.js': { type: 'asset' as const },
      'assets/index-a.js.map': { type: 'asset' as const },
    };
    expect(shellFiles(bundle)).toEqual(['assets/bundle-loader.worker-f.js', 'assets/deeper-c.js', 'assets/index-a.js', 'assets/index-e.css', 'assets/inflate.worker-h.js', 'assets/shared-b.js']);
  });

  it('fills in the precache list, and its cache version follows the list', () => {
    const a = serviceWorkerSource(['assets/index-aaaa.js', 'assets/s.css'], ['datasets/index.json']);
    const b = serviceWorkerSource(['assets/index-bbbb.js', 'assets/s.css'], ['datasets/index.json']);
    expect(precacheOf(a)).toEqual(['./', './index.html', './assets/index-aaaa.js', './assets/s.css', './datasets/index.json']);
    expect(a).not.toContain('__VERSION__');
    const version = (s: string) => /const VERSION = "([0-9a-f]{16})"/.exec(s)?.[1];
    expect(version(a)).toBeDefined();
    expect(version(a)).not.toBe(version(b));
  });
});
