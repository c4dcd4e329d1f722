/**
 * What the bench's client and the driver say to each other (over the child process's IPC channel), and the
 * pure pieces of the client: the wire parsers for redis (RESP) and HTTP/1.1 replies and the per-interval
 * summaries. Kept free of sockets and timers so they are tested on their own.
 */

export type ServiceKind = 'redis' | 'nginx';

export interface ClientInit {
  type: 'init';
  service: ServiceKind;
  port: number;
  connections: number;
  seed: number;
  /** A time base for the setup before the recording starts (each window brings the recording's own). */
  originMonoNs: string;
  intervalNs: number;
  /** A request that has not completed after this long fails, and its connection is replaced. */
  timeoutMs: number;
  /** redis: how many keys the get/set mixes spread over, and the size of a value. */
  redisKeys: number;
  redisValueBytes: number;
  /** nginx: the URL path each request mix fetches. */
  nginxPaths: Record<string, string>;
}

export interface ClientWindow {
  type: 'window';
  configId: string;
  mix: string;
  /** ts 0 of the recording on process.hrtime's clock (a decimal string: it exceeds 2^53). */
  originMonoNs: string;
  /** When to send the first request and when to stop sending, ns since the origin (interval boundaries). */
  startNs: number;
  endNs: number;
  /** The most requests to send in this window. */
  maxRequests: number;
}

export type ToClient = ClientInit | ClientWindow | { type: 'stop' } | { type: 'close' };

/** One interval of one window, as the client measured it. */
export interface BinSummary {
  /** Interval index: it ends at (k + 1) · intervalNs, or at `endNs` when the window was cut short. */
  k: number;
  endNs: number;
  lengthNs: number;
  requests: number;
  errors: number;
  meanUs: number | null;
  p50Us: number | null;
  p99Us: number | null;
  maxUs: number | null;
}

export type FromClient =
  | { type: 'ready' }
  | { type: 'progress'; configId: string; requests: number; errors: number; elapsedNs: number }
  | {
      type: 'window-done';
      configId: string;
      bins: BinSummary[];
      /** The client's own counts over the window (counted apart from the bins, as a check on them). */
      requests: number;
      errors: number;
      /** Set when a stop cut the window short: when the client stopped sending, ns since the origin. */
      stoppedAtNs: number | null;
      /** The window's request cap was reached before its end (the rest of it had no requests). */
      capped: boolean;
      firstError: string | null;
    }
  | { type: 'error'; message: string };

/** Nearest-rank percentile of an ascending array: the smallest value with at least q of the values at or below it. */
export function nearestRank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Summary of one interval's successful latencies (ns, any order; sorted in place). */
export function summarize(latenciesNs: Float64Array): { meanUs: number | null; p50Us: number | null; p99Us: number | null; maxUs: number | null } {
  const n = latenciesNs.length;
  if (n === 0) return { meanUs: null, p50Us: null, p99Us: null, maxUs: null };
  latenciesNs.sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += latenciesNs[i]!;
  const us = (ns: number) => Math.round(ns) / 1000;
  return { meanUs: sum / n / 1000, p50Us: us(nearestRank(latenciesNs, 0.5)), p99Us: us(nearestRank(latenciesNs, 0.99)), maxUs: us(latenciesNs[n - 1]!) };
}

/** A growable Float64Array (one per interval, so a busy interval costs 8 bytes a request). */
export class Samples {
  private buf = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  view(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}

// --- Replies on the wire. Each parser is fed the bytes of one connection and says when one reply is complete. ---

export interface ReplyParser {
  /** Feeds bytes; returns null while the reply is incomplete, else whether it succeeded and the bytes left over. */
  feed(chunk: Uint8Array): { ok: boolean; detail: string | null; rest: Uint8Array; close: boolean } | null;
  reset(): void;
}

const CR = 13;
const LF = 10;

function indexOfCrlf(b: Uint8Array, from: number): number {
  for (let i = from; i + 1 < b.length; i++) if (b[i] === CR && b[i + 1] === LF) return i;
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

const latin1 = new TextDecoder('latin1');

/**
 * One RESP2 reply: a simple string (+OK), an error (-ERR …), an integer (:1) or a bulk string ($n, $-1 for nil).
 * A nil reply (GET of a missing key) is a success. Arrays are not sent by the commands the client uses.
 */
export class RespReplyParser implements ReplyParser {
  private buf: Uint8Array = new Uint8Array(0);

  reset(): void {
    this.buf = new Uint8Array(0);
  }

  feed(chunk: Uint8Array): { ok: boolean; detail: string | null; rest: Uint8Array; close: boolean } | null {
    this.buf = concat(this.buf, chunk);
    const b = this.buf;
    if (b.length < 3) return null;
    const head = indexOfCrlf(b, 1);
    if (head < 0) return null;
    const type = String.fromCharCode(b[0]!);
    const line = latin1.decode(b.subarray(1, head));
    let end: number;
    let ok = true;
    let detail: string | null = null;
    switch (type) {
      case '+':
      case ':':
        end = head + 2;
        break;
      case '-':
        end = head + 2;
        ok = false;
        detail = `redis error: ${line.slice(0, 200)}`;
        break;
      case '$': {
        const len = Number(line);
        if (!Number.isInteger(len) || len < -1) return this.bad(`bad bulk length ${line.slice(0, 40)}`);
        end = len < 0 ? head + 2 : head + 2 + len + 2;
        if (b.length < end) return null;
        break;
      }
      default:
        return this.bad(`unexpected reply type ${JSON.stringify(type)}`);
    }
    const rest = b.subarray(end);
    this.buf = new Uint8Array(0);
    return { ok, detail, rest, close: false };
  }

  private bad(detail: string) {
    this.buf = new Uint8Array(0);
    return { ok: false, detail, rest: new Uint8Array(0), close: true };
  }
}

/** A RESP request (an array of bulk strings), e.g. ["GET", "key"]. */
export function respCommand(args: readonly string[]): Uint8Array {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return Buffer.from(s);
}

/**
 * One HTTP/1.1 response with a Content-Length body (what a static file server sends). The body is counted and
 * dropped, not kept. A 200 is a success; any other status fails. `close` is set when the server said it will
 * close the connection.
 */
export class HttpResponseParser implements ReplyParser {
  private head: Uint8Array = new Uint8Array(0);
  private bodyLeft = -1;
  private status = 0;
  private closeAfter = false;

  reset(): void {
    this.head = new Uint8Array(0);
    this.bodyLeft = -1;
    this.status = 0;
    this.closeAfter = false;
  }

  feed(chunk: Uint8Array): { ok: boolean; detail: string | null; rest: Uint8Array; close: boolean } | null {
    let data = chunk;
    if (this.bodyLeft < 0) {
      this.head = concat(this.head, data);
      const b = this.head;
      let end = -1;
      for (let i = 0; i + 3 < b.length; i++) {
        if (b[i] === CR && b[i + 1] === LF && b[i + 2] === CR && b[i + 3] === LF) {
          end = i;
          break;
        }
      }
      if (end < 0) {
        if (b.length > 64 * 1024) return this.bad('response headers longer than 64 KiB');
        return null;
      }
      const lines = latin1.decode(b.subarray(0, end)).split('\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
      if (!m) return this.bad(`not an HTTP/1.x status line: ${(lines[0] ?? '').slice(0, 80)}`);
      this.status = Number(m[1]);
      let length = -1;
      for (const l of lines.slice(1)) {
        const colon = l.indexOf(':');
        if (colon < 0) continue;
        const name = l.slice(0, colon).trim().toLowerCase();
        const value = l.slice(colon + 1).trim();
        if (name === 'content-length') length = Number(value);
        else if (name === 'transfer-encoding' && value.toLowerCase() !== 'identity') return this.bad(`transfer-encoding ${value} is not supported`);
        else if (name === 'connection' && value.toLowerCase() === 'close') this.closeAfter = true;
      }
      if (!(Number.isInteger(length) && length >= 0)) return this.bad('no Content-Length');
      this.bodyLeft = length;
      data = b.subarray(end + 4);
      this.head = new Uint8Array(0);
    }
    if (data.length < this.bodyLeft) {
      this.bodyLeft -= data.length;
      return null;
    }
    const rest = data.subarray(this.bodyLeft);
    const ok = this.status === 200;
    const result = { ok, detail: ok ? null : `HTTP status ${this.status}`, rest, close: this.closeAfter };
    this.reset();
    return result;
  }

  private bad(detail: string) {
    this.reset();
    return { ok: false, detail, rest: new Uint8Array(0), close: true };
  }
}
