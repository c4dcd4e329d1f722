/// <reference lib="webworker" />
// The Chromium side of the parse bench: a dedicated worker (the loader worker's situation) that fetches the
// bench input once, then parses it on request with the same code as the Node rows (parse-strace-once.ts,
// openSource) and answers the rows and the wall time. Timing is asked run by run, so the bench can read the
// renderer's CPU time around each run.
import { openSource } from '../core/importers/open-source.ts';
import { parseStraceOnce } from './parse-strace-once.ts';

/** What the page asks: fetch the input, or time one parse of it. */
export type ParseBenchAsk = { what: 'load'; url: string } | { what: 'parser' | 'open' };
export type ParseBenchRequest = ParseBenchAsk & { id: number };
export type ParseBenchReply = { id: number; rows: number; wallMs: number } | { id: number; error: string };

let big: Uint8Array | null = null;

async function openRows(bytes: Uint8Array): Promise<number> {
  const r = await openSource('bench.strace.log', bytes);
  if (!r.ok) throw new Error(`openSource refused the bench capture: ${JSON.stringify(r.error).slice(0, 300)}`);
  return r.bundle.tables.syscalls!.numRows;
}

self.onmessage = async (e: MessageEvent<ParseBenchRequest>) => {
  const q = e.data;
  const reply = (m: ParseBenchReply) => self.postMessage(m);
  try {
    if (q.what === 'load') {
      const res = await fetch(q.url);
      if (!res.ok) throw new Error(`fetching the bench input: HTTP ${res.status}`);
      big = new Uint8Array(await res.arrayBuffer());
      reply({ id: q.id, rows: 0, wallMs: 0 });
      return;
    }
    if (!big) throw new Error('no input loaded');
    const t0 = performance.now();
    const rows = q.what === 'parser' ? await parseStraceOnce(big) : await openRows(big);
    reply({ id: q.id, rows, wallMs: performance.now() - t0 });
  } catch (err) {
    reply({ id: q.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
};
