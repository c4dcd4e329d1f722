import { Worker } from 'node:worker_threads';
import type { BenchRow } from './report.ts';
import { straceInput, timeOpenSource, timeParser, type ParseTiming } from './parse-strace-runs.ts';
import { timeInChromium, type BrowserParseTiming } from './parse-strace-browser.ts';

/**
 * strace text import speed on a real capture repeated to ~20 MiB: the parser alone (4 MiB chunks split into
 * lines as bytes, StraceParser's byte path, the table built), and the whole way in the loader worker takes
 * (openSource: detection, parser, bundle); each on the main thread, in a worker_threads worker, and in a
 * dedicated Worker in Debian's Chromium (the same code bundled by Vite; the bench fails if its row counts differ).
 * Both wall and CPU time (process.cpuUsage) are printed: on a shared machine wall time is noisy, CPU time is
 * what the parse costs.
 */
export async function benchParseStrace(): Promise<BenchRow[]> {
  const big = straceInput();
  const mainParser = await timeParser(big);
  const mainOpen = await timeOpenSource(big);
  const inWorker = await new Promise<{ parser: ParseTiming; open: ParseTiming }>((resolve, reject) => {
    // tsx's hooks do not reach a worker on Node 20: a small JS entry registers them there, then loads the TypeScript.
    const api = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./parse-strace-worker.ts', import.meta.url).href;
    const w = new Worker(`import(${JSON.stringify(api)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
  const chromium = await timeInChromium(big);
  for (const [what, t] of [['parser', chromium.parser], ['openSource', chromium.open]] as const) {
    const node = what === 'parser' ? mainParser.rows : mainOpen.rows;
    // A figure for different work would be no figure: the browser must have read the same rows.
    if (t.rows !== node) throw new Error(`Chromium worker ${what} made ${t.rows} rows from the bench input, Node made ${node}: the browser parse differs`);
  }
  const mib = big.byteLength / 2 ** 20;
  const rows: BenchRow[] = [];
  const add = (what: string, backend: string, t: ParseTiming) => {
    const model = `strace -f -ttt -T text, ${what} (${mib.toFixed(0)} MiB, ${t.rows} rows)`;
    rows.push(
      { suite: 'parse', model, backend, metric: 'throughput_wall', value: mib / (t.wallMs / 1000), unit: 'MiB/s' },
      { suite: 'parse', model, backend, metric: 'throughput_cpu', value: mib / (t.cpuMs / 1000), unit: 'MiB/s' },
      { suite: 'parse', model, backend, metric: 'rows_per_cpu_second', value: t.rows / (t.cpuMs / 1000), unit: 'rows/s' },
    );
  };
  add('parser', 'node', mainParser);
  add('parser', 'node-worker', inWorker.parser);
  add('openSource', 'node', mainOpen);
  add('openSource', 'node-worker', inWorker.open);
  const addBrowser = (what: string, t: BrowserParseTiming) => {
    const model = `strace -f -ttt -T text, ${what} (${mib.toFixed(0)} MiB, ${t.rows} rows)`;
    const notes = 'Chromium dedicated Worker, the same code bundled by Vite; CPU is the renderer processes\' user+system time from /proc (10 ms ticks)';
    rows.push({ suite: 'parse', model, backend: 'chromium-worker', metric: 'throughput_wall', value: mib / (t.wallMs / 1000), unit: 'MiB/s', notes });
    if (t.cpuMs !== null) rows.push({ suite: 'parse', model, backend: 'chromium-worker', metric: 'throughput_cpu', value: mib / (t.cpuMs / 1000), unit: 'MiB/s' });
  };
  addBrowser('parser', chromium.parser);
  addBrowser('openSource', chromium.open);
  return rows;
}
