/**
 * The bench's closed-loop client, run as its own process (client-process.ts starts it) so that its event loop and
 * CPU time are not the recorder's. Each connection sends one request, waits for the whole reply, and sends the
 * next: redis GET/SET over RESP, or HTTP/1.1 GETs with keep-alive to nginx. Every request is timed with
 * process.hrtime.bigint() (the recorder's clock), and the successful ones are kept per interval of the
 * recording's grid so that each interval's percentiles are exact. Only loopback is ever connected to.
 */
import net from 'node:net';
import { Rng } from '../../../core/ml/rng.ts';
import { HttpResponseParser, RespReplyParser, Samples, respCommand, summarize, type BinSummary, type ClientInit, type ClientWindow, type FromClient, type ReplyParser, type ToClient } from './protocol.ts';

const HOST = '127.0.0.1';

function send(m: FromClient): void {
  process.send?.(m);
}

// The driver stops the client over IPC; a Ctrl-C on the terminal is for tlab, which passes it on in order.
process.on('SIGINT', () => {});
// Never outlive tlab: when the IPC channel closes, the client ends.
process.on('disconnect', () => process.exit(0));

let init: ClientInit | null = null;
let origin = 0n;
const nowNs = () => Number(process.hrtime.bigint() - origin);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One connection: one request outstanding at a time. */
class Connection {
  private socket: net.Socket | null = null;
  private parser: ReplyParser;
  private pending: { resolve: (r: { ok: boolean; detail: string | null }) => void; sentAt: number } | null = null;

  constructor(private readonly port: number, kind: 'redis' | 'nginx') {
    this.parser = kind === 'redis' ? new RespReplyParser() : new HttpResponseParser();
  }

  async connect(): Promise<void> {
    this.parser.reset();
    const s = net.connect({ host: HOST, port: this.port });
    s.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    s.removeAllListeners('error');
    s.on('data', (d: Buffer) => this.onData(d));
    s.on('error', () => this.fail('connection error'));
    s.on('close', () => this.fail('connection closed by the server'));
    this.socket = s;
  }

  private onData(d: Uint8Array): void {
    const r = this.parser.feed(d);
    if (!r) return;
    if (r.close) this.drop();
    const p = this.pending;
    this.pending = null;
    // A closed loop never has bytes beyond the one reply; if there are, the stream is out of step.
    if (r.rest.length > 0 && !r.close) this.drop();
    p?.resolve({ ok: r.ok, detail: r.detail ?? (r.rest.length > 0 ? 'unexpected bytes after a reply' : null) });
  }

  private fail(detail: string): void {
    this.drop();
    const p = this.pending;
    this.pending = null;
    p?.resolve({ ok: false, detail });
  }

  private drop(): void {
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.removeAllListeners('data');
      s.removeAllListeners('close');
      s.on('error', () => {});
      s.destroy();
    }
  }

  /** Fails the outstanding request if it has waited longer than the timeout. */
  checkTimeout(now: number, timeoutNs: number): void {
    if (this.pending && now - this.pending.sentAt > timeoutNs) this.fail('timed out');
  }

  async request(bytes: Uint8Array, sentAt: number): Promise<{ ok: boolean; detail: string | null }> {
    if (!this.socket) {
      try {
        await this.connect();
      } catch (e) {
        await sleep(50);
        return { ok: false, detail: `cannot connect: ${(e as Error).message}` };
      }
    }
    return new Promise((resolve) => {
      this.pending = { resolve, sentAt };
      this.socket!.write(bytes);
    });
  }

  close(): void {
    this.drop();
  }
}

/** The requests of each mix, built once (no allocation per request). */
function requestMaker(cfg: ClientInit, mix: string, rng: Rng): () => Uint8Array {
  if (cfg.service === 'redis') {
    const keys = Array.from({ length: cfg.redisKeys }, (_, i) => `tlab:${i}`);
    const value = valueOf(cfg);
    const gets = keys.map((k) => respCommand(['GET', k]));
    const sets = keys.map((k) => respCommand(['SET', k, value]));
    const n = keys.length;
    switch (mix) {
      case 'get':
        return () => gets[rng.int(n)]!;
      case 'set':
        return () => sets[rng.int(n)]!;
      case 'get-set':
        return () => (rng.next() < 0.5 ? gets : sets)[rng.int(n)]!;
      default:
        throw new Error(`unknown redis request mix ${mix}`);
    }
  }
  const path = cfg.nginxPaths[mix];
  if (!path) throw new Error(`unknown nginx request mix ${mix}`);
  const bytes = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\nUser-Agent: tlab-bench\r\n\r\n`);
  return () => bytes;
}

function valueOf(cfg: ClientInit): string {
  const rng = new Rng(cfg.seed);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < cfg.redisValueBytes; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

let connections: Connection[] = [];
let stopping = false;
let running: Promise<void> | null = null;

async function start(cfg: ClientInit): Promise<void> {
  init = cfg;
  origin = BigInt(cfg.originMonoNs);
  connections = Array.from({ length: cfg.connections }, () => new Connection(cfg.port, cfg.service));
  for (const c of connections) await c.connect();
  if (cfg.service === 'redis') {
    // Every key exists before the first GET, so a GET always returns a value of the same size.
    const value = valueOf(cfg);
    for (let i = 0; i < cfg.redisKeys; i++) {
      const r = await connections[0]!.request(respCommand(['SET', `tlab:${i}`, value]), nowNs());
      if (!r.ok) throw new Error(`preloading redis keys failed: ${r.detail}`);
    }
  }
  const timeoutNs = cfg.timeoutMs * 1e6;
  setInterval(() => {
    const t = nowNs();
    for (const c of connections) c.checkTimeout(t, timeoutNs);
  }, Math.min(200, cfg.timeoutMs / 4)).unref();
  send({ type: 'ready' });
}

async function runWindow(w: ClientWindow): Promise<void> {
  const cfg = init!;
  origin = BigInt(w.originMonoNs);
  const I = cfg.intervalNs;
  const firstK = Math.floor(w.startNs / I);
  const lastK = Math.max(firstK, Math.ceil(w.endNs / I) - 1);
  const bins = new Map<number, { ok: Samples; errors: number }>();
  for (let k = firstK; k <= lastK; k++) bins.set(k, { ok: new Samples(), errors: 0 });
  let requests = 0;
  let errors = 0;
  let issued = 0;
  let firstError: string | null = null;
  let stoppedAtNs: number | null = null;
  stopping = false;

  // Wait for the window's first instant: a timer to within a few ms, then a short spin.
  for (;;) {
    const left = w.startNs - nowNs();
    if (left <= 0 || stopping) break;
    if (left > 3e6) await sleep((left - 2e6) / 1e6);
    else await new Promise<void>((r) => setImmediate(r));
  }
  const progress = setInterval(() => send({ type: 'progress', configId: w.configId, requests, errors, elapsedNs: nowNs() - w.startNs }), Math.max(100, I / 1e6)).unref();

  const loop = async (c: Connection, index: number) => {
    const rng = new Rng(cfg.seed * 7919 + index * 104_729 + hash(w.configId));
    const next = requestMaker(cfg, w.mix, rng);
    while (!stopping && issued < w.maxRequests) {
      const sentAt = nowNs();
      if (sentAt >= w.endNs) break;
      issued++;
      const t0 = process.hrtime.bigint();
      const r = await c.request(next(), sentAt);
      const t1 = process.hrtime.bigint();
      const done = Number(t1 - origin);
      // A request still in flight at the window's end completes just after it: it counts in the last interval.
      const k = Math.min(lastK, Math.max(firstK, Math.floor(done / I)));
      const bin = bins.get(k)!;
      if (r.ok) {
        requests++;
        bin.ok.push(Number(t1 - t0));
      } else {
        errors++;
        bin.errors++;
        firstError ??= r.detail;
      }
    }
  };
  await Promise.all(connections.map((c, i) => loop(c, i)));
  clearInterval(progress);
  if (stopping) stoppedAtNs = Math.min(w.endNs, stopRequestedAt ?? nowNs());

  const out: BinSummary[] = [];
  const cutK = stoppedAtNs !== null ? Math.min(lastK, Math.floor(stoppedAtNs / I)) : lastK;
  if (cutK >= firstK) {
    // Cut short: what completed after the cut (the requests in flight at the stop) counts in the cut interval.
    const into = bins.get(cutK)!;
    for (let k = cutK + 1; k <= lastK; k++) {
      const later = bins.get(k)!;
      for (const v of later.ok.view()) into.ok.push(v);
      into.errors += later.errors;
    }
  }
  for (let k = firstK; k <= cutK; k++) {
    const bin = bins.get(k)!;
    const cut = stoppedAtNs !== null && k === cutK;
    const endNs = cut ? Math.max(stoppedAtNs!, k * I + 1) : (k + 1) * I;
    const lengthNs = endNs - k * I;
    const s = summarize(bin.ok.view());
    out.push({ k, endNs, lengthNs, requests: bin.ok.length, errors: bin.errors, ...s });
  }
  send({ type: 'window-done', configId: w.configId, bins: out, requests, errors, stoppedAtNs, capped: issued >= w.maxRequests, firstError });
}

let stopRequestedAt: number | null = null;

/** A small string hash (FNV-1a), so each configuration's request sequence depends on the seed and its id only. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0xfffff;
}

process.on('message', (m: ToClient) => {
  switch (m.type) {
    case 'init':
      start(m).catch((e: Error) => {
        send({ type: 'error', message: e.message });
        process.exitCode = 1;
      });
      break;
    case 'window':
      stopRequestedAt = null;
      running = runWindow(m).catch((e: Error) => send({ type: 'error', message: e.message }));
      break;
    case 'stop':
      stopRequestedAt = nowNs();
      stopping = true;
      break;
    case 'close':
      stopping = true;
      void (running ?? Promise.resolve()).then(() => {
        for (const c of connections) c.close();
        process.disconnect?.();
        process.exit(0);
      });
      break;
  }
});
