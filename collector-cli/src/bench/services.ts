import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { Rng } from '../../../core/ml/rng.ts';
import type { ServiceKind } from './protocol.ts';

/** redis: keys the get/set mixes spread over, and the bytes of each value. */
export const REDIS_KEYS = 1000;
export const REDIS_VALUE_BYTES = 128;
/** nginx: the static files the request mixes fetch. */
export const NGINX_FILES = { small: { path: '/small.bin', bytes: 1024 }, large: { path: '/large.bin', bytes: 256 * 1024 } } as const;
const NGINX_STATUS_PATH = '/tlab-status';

export interface ServiceDef {
  readonly name: ServiceKind;
  /** The program, and the Debian package it comes from (named when it is missing). */
  readonly program: string;
  readonly debianPackage: string;
  readonly mixes: readonly string[];
  /** What one request of a mix is, in words (manifest.bench.client.request). */
  requestText(mixes: readonly string[]): string;
  versionArgs: readonly string[];
  /** Writes its private configuration under `dir` and returns the argument vector that runs it in the foreground. */
  prepare(binary: string, dir: string, port: number, seed: number): string[];
  /** One readiness probe: true once it answers a request. */
  ready(port: number): Promise<boolean>;
  /** The service's own count of requests served so far (its status query included); null if it cannot be read. */
  served(port: number): Promise<number | null>;
}

/** Sends `request` to 127.0.0.1:port, reads until the server closes or `done(text)` says the reply is whole. */
function exchange(port: number, request: string, done: (text: string) => boolean, timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    let text = '';
    let settled = false;
    const s = net.connect({ host: '127.0.0.1', port });
    const finish = (v: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => finish(null), timeoutMs);
    s.on('connect', () => s.write(request));
    s.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (text.length > 1 << 20) finish(null);
      else if (done(text)) finish(text);
    });
    s.on('error', () => finish(null));
    s.on('close', () => finish(text || null));
  });
}

const respBulkDone = (t: string) => {
  const m = /^\$(\d+)\r\n/.exec(t);
  return m !== null && t.length >= m[0].length + Number(m[1]) + 2;
};

export const REDIS: ServiceDef = {
  name: 'redis',
  program: 'redis-server',
  debianPackage: 'redis-server',
  mixes: ['get', 'set', 'get-set'],
  requestText: (mixes) =>
    mixes
      .map((m) => {
        const what = `one of ${REDIS_KEYS} keys (chosen uniformly by the seeded generator)`;
        if (m === 'get') return `get: GET of ${what}, each holding a ${REDIS_VALUE_BYTES}-byte value`;
        if (m === 'set') return `set: SET of ${what} to a ${REDIS_VALUE_BYTES}-byte value`;
        return `get-set: GET or SET (even odds) of ${what}, ${REDIS_VALUE_BYTES}-byte values`;
      })
      .join('; ') + ' (RESP over a kept-open TCP connection; the keys are set before the first configuration)',
  versionArgs: ['--version'],
  prepare(binary, dir, port) {
    // No persistence at all (no RDB snapshots, no AOF), loopback only, its working directory private.
    return [binary, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--protected-mode', 'yes', '--databases', '1', '--logfile', ''];
  },
  async ready(port) {
    const r = await exchange(port, '*1\r\n$4\r\nPING\r\n', (t) => t.includes('\r\n'), 500);
    return r !== null && r.startsWith('+PONG');
  },
  async served(port) {
    const r = await exchange(port, '*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n', respBulkDone);
    const m = r ? /total_commands_processed:(\d+)/.exec(r) : null;
    return m ? Number(m[1]) : null;
  },
};

function deterministicBytes(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

export const NGINX: ServiceDef = {
  name: 'nginx',
  program: 'nginx',
  debianPackage: 'nginx',
  mixes: ['small', 'large'],
  requestText: (mixes) =>
    mixes
      .map((m) => {
        const f = NGINX_FILES[m as keyof typeof NGINX_FILES];
        return `${m}: HTTP/1.1 GET of a ${f.bytes >= 1024 ? `${f.bytes / 1024} KiB` : `${f.bytes} B`} static file (${f.path})`;
      })
      .join('; ') + ' (keep-alive connections; one nginx worker process, sendfile on, no access log)',
  versionArgs: ['-v'],
  prepare(binary, dir, port, seed) {
    const root = join(dir, 'htdocs');
    mkdirSync(root, { mode: 0o755 });
    // mkdir's mode is masked by the umask: the worker (nobody, when started as root) must read the files.
    chmodSync(root, 0o755);
    for (const [i, f] of Object.values(NGINX_FILES).entries()) {
      const file = join(root, f.path.slice(1));
      writeFileSync(file, deterministicBytes(f.bytes, seed + i), { mode: 0o644, flag: 'wx' });
      chmodSync(file, 0o644);
    }
    const tmp = join(dir, 'nginx-temp');
    const conf = `# Written by tlab bench: a private nginx on loopback that serves two static files.
worker_processes 1;
daemon off;
master_process on;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  sendfile on;
  tcp_nodelay on;
  keepalive_timeout 300s;
  keepalive_requests 100000000;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location = ${NGINX_STATUS_PATH} { stub_status; }
  }
}
`;
    mkdirSync(tmp, { mode: 0o700 });
    const confPath = join(dir, 'nginx.conf');
    writeFileSync(confPath, conf, { mode: 0o644, flag: 'wx' });
    // -e: the error log before the configuration is read (the default, /var/log/nginx, needs root).
    return [binary, '-p', dir, '-c', confPath, '-e', join(dir, 'nginx-error.log')];
  },
  async ready(port) {
    const r = await exchange(port, `GET ${NGINX_FILES.small.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, () => false, 500);
    return r !== null && /^HTTP\/1\.1 200 /.test(r);
  },
  async served(port) {
    const r = await exchange(port, `GET ${NGINX_STATUS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, () => false);
    // "server accepts handled requests\n 12 12 345"
    const m = r ? /server accepts handled requests\s+\d+\s+\d+\s+(\d+)/.exec(r) : null;
    return m ? Number(m[1]) : null;
  },
};

export const SERVICES: Record<ServiceKind, ServiceDef> = { redis: REDIS, nginx: NGINX };
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceKind[];
