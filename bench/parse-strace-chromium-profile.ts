// A sampled CPU profile of the parse bench inside Chromium's dedicated worker, by self time per function and per
// line: what the Chromium rows spend their time on. The worker is built without minification (names and lines
// stay readable, in one bundle file); the profile comes from V8's Profiler over CDP, reached by attaching a
// browser-level CDP session to the worker target (Playwright gives no CDP session for a dedicated worker).
// Run: npx tsx bench/parse-strace-chromium-profile.ts [parser|open] [runs] [out.cpuprofile]
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type CDPSession } from '@playwright/test';
import { build } from 'vite';
import { CHROMIUM } from '../playwright.config.ts';
import { straceInput } from './parse-strace-runs.ts';

const what = (process.argv[2] ?? 'parser') as 'parser' | 'open';
const runs = Number(process.argv[3] ?? 10);
const outFile = process.argv[4];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const dir = mkdtempSync(join(tmpdir(), 'tlab-parse-prof-'));
await build({
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: dir,
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    lib: { entry: new URL('./parse-strace-browser.worker.ts', import.meta.url).pathname, formats: ['es'], fileName: () => 'parse-worker.js' },
  },
});
const bundle = readFileSync(join(dir, 'parse-worker.js'), 'utf8');
const bundleLines = bundle.split('\n');
const input = straceInput();
const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0]!;
  if (path === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>parse profile</title>');
  else if (path === '/input.log') res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(input);
  else if (path === '/parse-worker.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
  else res.writeHead(404).end();
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const origin = `http://127.0.0.1:${port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--no-first-run', '--disable-background-networking'] });
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.evaluate(() => {
    const w = new Worker('/parse-worker.js', { type: 'module' });
    let next = 0;
    const waiting = new Map<number, (r: unknown) => void>();
    w.onmessage = (e: MessageEvent<{ id: number }>) => waiting.get(e.data.id)?.(e.data);
    (window as unknown as { ask: (q: object) => Promise<unknown> }).ask = (q) =>
      new Promise((resolve) => {
        const id = next++;
        waiting.set(id, resolve);
        w.postMessage({ ...q, id });
      });
  });
  const ask = (q: object) => page.evaluate((x) => (window as unknown as { ask: (q: object) => Promise<{ rows?: number; wallMs?: number; error?: string }> }).ask(x), q);
  const loaded = await ask({ what: 'load', url: `${origin}/input.log` });
  if (loaded.error) throw new Error(loaded.error);

  // The worker target, through a browser-level session: attach (not flattened) and talk through sendMessageToTarget.
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
  const worker = targetInfos.find((t) => t.type === 'worker' && t.url.endsWith('/parse-worker.js'));
  if (!worker) throw new Error(`no worker target among ${targetInfos.map((t) => `${t.type} ${t.url}`).join(', ')}`);
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: worker.targetId, flatten: false })) as { sessionId: string };
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();
  cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as { id?: number; result?: unknown; error?: { message: string } };
    if (m.id === undefined) return;
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error) w?.reject(new Error(m.error.message));
    else w?.resolve(m.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
    });

  await send('Profiler.enable');
  await send('Profiler.setSamplingInterval', { interval: 100 });
  // Warm up as the bench does, under a profile that is thrown away: V8 keeps line positions only for code
  // optimized while a profiler runs, so the code must tier up under one for the line figures to mean anything.
  await send('Profiler.start');
  for (let i = 0; i < 3; i++) await ask({ what });
  await send('Profiler.stop');
  await send('Profiler.start');
  let wall = 0;
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const r = await ask({ what });
    if (r.error) throw new Error(r.error);
    wall += r.wallMs!;
    rows = r.rows!;
  }
  const { profile } = (await send('Profiler.stop')) as { profile: Profile };
  if (outFile) writeFileSync(outFile, JSON.stringify(profile));

  // Self time per node from the samples, then summed per function and per bundle line.
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFn = new Map<string, number>();
  const byLine = new Map<number, number>();
  for (const n of profile.nodes) {
    const us = selfUs.get(n.id) ?? 0;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.endsWith('parse-worker.js') ? `bundle:${f.lineNumber + 1}` : f.url || ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    const ticks = n.positionTicks?.reduce((a, t) => a + t.ticks, 0) ?? 0;
    if (f.url.endsWith('parse-worker.js') && ticks) for (const t of n.positionTicks!) byLine.set(t.line, (byLine.get(t.line) ?? 0) + (us * t.ticks) / ticks);
  }
  const mib = input.byteLength / 2 ** 20;
  console.log(`${what}: ${runs} runs, ${rows} rows, mean wall ${(wall / runs).toFixed(1)} ms (${((mib * runs) / (wall / 1000)).toFixed(1)} MiB/s); profiled ${(total / 1000).toFixed(0)} ms`);
  console.log('\nself time by function:');
  for (const [k, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000 / runs).toFixed(1).padStart(6)} ms/run  ${k}`);
  console.log('\nself time by bundle line:');
  for (const [line, us] of [...byLine].sort((a, b) => b[1] - a[1]).slice(0, 40))
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${String(line).padStart(5)}  ${bundleLines[line - 1]!.trim().slice(0, 110)}`);
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
