import * as Comlink from 'comlink';
import { useInflatePool } from '../core/bundle/unzip-stream.ts';
import { createLoader } from './bundle-loader/loader.ts';
import { createInflatePool } from './inflate/pool.ts';

// Large entries are inflated beside the loader, on the other cores, while it decodes and summarises the tables
// before them; one core is left for the page.
const cores = typeof navigator !== 'undefined' && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
const pool = createInflatePool(Math.max(1, Math.min(4, cores - 1)), () => new Worker(new URL('./inflate.worker.ts', import.meta.url), { type: 'module', name: 'inflate' }));
pool.warm();
useInflatePool(pool);

Comlink.expose(createLoader());
