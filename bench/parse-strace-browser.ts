// The parse bench's Chromium row: the same parser code, bundled by Vite, in a dedicated Web Worker in Debian's
// Chromium (playwright-core), on the same 20 MiB input as the Node rows.
import { createServer, type Server } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM } from '../playwright.config.ts';
import type { ParseBenchAsk, ParseBenchReply } from './parse-strace-browser.worker.ts';
import { WARM_UP } from './parse-strace-runs.ts';

// The flags every browser bench here uses, less WebGPU (a parse needs no GPU).
const ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface BrowserParseTiming {
  rows: number;
  wallMs: number;
  /** CPU time of Chromium's renderer processes over the run (the worker, its GC, the idle page), or null where /proc cannot tell. */
  cpuMs: number | null;
}

/** Builds the worker entry with Vite (as the app builds its workers) into a fresh folder, which it returns. */
async function buildWorker(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'tlab-parse-bench-'));
  await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      lib: { entry: new URL('./parse-strace-browser.worker.ts', import.meta.url).pathname, formats: ['es'], fileName: () => 'parse-worker.js' },
    },
  });
  return outDir;
}

/** Serves the built worker, a blank page and the input on a free loopback port. */
async function serve(dir: string, input: Uint8Array): Promise<{ server: Server; origin: string }> {
  const files = new Set(readdirSync(dir));
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>parse bench</title>');
    } else if (path === '/input.log') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(input);
    } else if (files.has(path.slice(1)) && path.endsWith('.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(dir, path.slice(1))));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('parse bench server has no port');
  return { server, origin: `http://127.0.0.1:${addr.port}` };
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system) of the Chromium renderer processes this bench launched: descendants of this Node
 * process whose command line says --type=renderer. Read from /proc, in clock ticks (10 ms), so a figure over a
 * ~200 ms run is good to about 5 %. Null off Linux.
 */
function rendererCpuMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state is field 3, ppid 4, utime 14, stime 15.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(p), Number(f[1]));
      ticks.set(Number(p), Number(f[11]) + Number(f[12]));
    } catch {
      // gone meanwhile
    }
  }
  const mine = (pid: number) => {
    for (let p = parent.get(pid), hops = 0; p !== undefined && hops < 16; p = parent.get(p), hops++) if (p === process.pid) return true;
    return false;
  };
  let total = 0;
  let found = false;
  for (const [pid, t] of ticks) {
    if (!mine(pid)) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('--type=renderer')) continue;
    total += t;
    found = true;
  }
  return found ? (total * 1000) / TICKS_PER_SECOND : null;
}

/**
 * Times `runs` parses of `input` (after WARM_UP untimed ones, as in Node) in a Chromium dedicated worker, for the parser alone
 * and for openSource; each figure is the best run's.
 */
export async function timeInChromium(input: Uint8Array, runs = 3): Promise<{ parser: BrowserParseTiming; open: BrowserParseTiming }> {
  const dir = await buildWorker();
  const { server, origin } = await serve(dir, input);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.evaluate(() => {
      const w = new Worker('/parse-worker.js', { type: 'module' });
      const waiting = new Map<number, (r: ParseBenchReply) => void>();
      w.onmessage = (e: MessageEvent<ParseBenchReply>) => waiting.get(e.data.id)?.(e.data);
      w.onerror = (e) => {
        for (const [id, done] of waiting) done({ id, error: `worker error: ${e.message}` });
      };
      let next = 0;
      (window as unknown as { parseBench: (q: ParseBenchAsk) => Promise<ParseBenchReply> }).parseBench = (q) =>
        new Promise((resolve) => {
          const id = next++;
          waiting.set(id, resolve);
          w.postMessage({ ...q, id });
        });
    });
    const ask = async (q: ParseBenchAsk) => {
      const r = await page.evaluate((x) => (window as unknown as { parseBench: (q: ParseBenchAsk) => Promise<ParseBenchReply> }).parseBench(x), q);
      if ('error' in r) throw new Error(`Chromium parse bench: ${r.error}`);
      return r;
    };
    await ask({ what: 'load', url: `${origin}/input.log` });
    const time = async (what: 'parser' | 'open'): Promise<BrowserParseTiming> => {
      let rows = 0;
      for (let i = 0; i < WARM_UP; i++) rows = (await ask({ what })).rows;
      let wallMs = Infinity;
      let cpuMs: number | null = Infinity;
      for (let run = 0; run < runs; run++) {
        const c0 = rendererCpuMs();
        const r = await ask({ what });
        const c1 = rendererCpuMs();
        rows = r.rows;
        wallMs = Math.min(wallMs, r.wallMs);
        cpuMs = c0 === null || c1 === null || cpuMs === null ? null : Math.min(cpuMs, c1 - c0);
      }
      return { rows, wallMs, cpuMs };
    };
    return { parser: await time('parser'), open: await time('open') };
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
