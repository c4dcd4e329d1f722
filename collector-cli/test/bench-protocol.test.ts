import { describe, expect, it } from 'vitest';
import { configId, parseLevels, planService, stressArgs } from '../src/bench/plan.ts';
import { findProgram, MissingProgramError } from '../src/bench/procs.ts';
import { HttpResponseParser, RespReplyParser, nearestRank, respCommand, summarize } from '../src/bench/protocol.ts';

// The bench client's pure parts: reply parsers fed in pieces, exact percentiles, the plan of configurations.

const enc = (s: string) => new TextEncoder().encode(s);

/** Feeds `text` in pieces of `size` bytes; returns every completed reply. */
function feedAll(parser: RespReplyParser | HttpResponseParser, bytes: Uint8Array, size: number) {
  const out = [];
  for (let i = 0; i < bytes.length; i += size) {
    const r = parser.feed(bytes.subarray(i, i + size));
    if (r) out.push(r);
  }
  return out;
}

describe('RESP replies', () => {
  it('completes simple strings, errors, integers, bulk strings and nil, fed a byte at a time', () => {
    const cases: [string, boolean][] = [
      ['+OK\r\n', true],
      ['-ERR wrong type\r\n', false],
      [':42\r\n', true],
      ['$5\r\nhello\r\n', true],
      ['$-1\r\n', true],
      ['$0\r\n\r\n', true],
    ];
    for (const [text, ok] of cases) {
      for (const size of [1, 2, 3, 100]) {
        const p = new RespReplyParser();
        const got = feedAll(p, enc(text), size);
        expect(got, `${JSON.stringify(text)} in pieces of ${size}`).toHaveLength(1);
        expect(got[0]!.ok).toBe(ok);
        expect(got[0]!.rest.length).toBe(0);
      }
    }
  });

  it('a bulk string holding CRLF is read by its length, not its line ends', () => {
    const p = new RespReplyParser();
    expect(p.feed(enc('$6\r\na\r\nb\r\n'))).toBeNull();
    expect(p.feed(enc('\r\n'))).toMatchObject({ ok: true });
  });

  it('refuses what it does not expect, and encodes commands as arrays of bulk strings', () => {
    expect(new RespReplyParser().feed(enc('*1\r\n$1\r\na\r\n'))).toMatchObject({ ok: false, close: true });
    expect(new TextDecoder().decode(respCommand(['SET', 'k', 'vé']))).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nvé\r\n');
  });
});

describe('HTTP/1.1 responses', () => {
  const response = (status: number, body: string, extra = '') => enc(`HTTP/1.1 ${status} X\r\nServer: nginx\r\nContent-Length: ${enc(body).length}\r\n${extra}\r\n${body}`);

  it('completes a 200 with a body split anywhere, and keeps nothing of the body', () => {
    const body = 'x'.repeat(70_000);
    for (const size of [1, 7, 1000, 65_536]) {
      const got = feedAll(new HttpResponseParser(), response(200, size === 1 ? 'abc' : body), size);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ ok: true, close: false });
    }
  });

  it('parses two responses in turn on one connection (keep-alive), an empty body, a failure status and Connection: close', () => {
    const p = new HttpResponseParser();
    expect(p.feed(response(200, ''))).toMatchObject({ ok: true });
    expect(p.feed(response(404, 'nope'))).toMatchObject({ ok: false, detail: 'HTTP status 404' });
    expect(p.feed(response(200, 'ok', 'Connection: close\r\n'))).toMatchObject({ ok: true, close: true });
  });

  it('refuses chunked bodies and a missing length', () => {
    expect(new HttpResponseParser().feed(enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'))).toMatchObject({ ok: false, close: true });
    expect(new HttpResponseParser().feed(enc('HTTP/1.1 200 OK\r\n\r\n'))).toMatchObject({ ok: false, close: true });
  });
});

describe('per-interval summaries', () => {
  it('nearest-rank percentiles, exact', () => {
    const v = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(v, 0.5)).toBe(50);
    expect(nearestRank(v, 0.99)).toBe(99);
    expect(nearestRank(Float64Array.of(7), 0.99)).toBe(7);
    expect(nearestRank(Float64Array.of(1, 2, 3), 0.5)).toBe(2);
  });

  it('summarize: µs, sorted numerically, null when there is nothing', () => {
    const s = summarize(Float64Array.of(3000, 1000, 200_000, 2000));
    expect(s).toEqual({ meanUs: 51.5, p50Us: 2, p99Us: 200, maxUs: 200 });
    expect(summarize(new Float64Array(0))).toEqual({ meanUs: null, p50Us: null, p99Us: null, maxUs: null });
  });
});

describe('the plan of configurations', () => {
  it('level 0 once per mix, then every kind at every level above 0; ids name service, mix, kind and level', () => {
    const plan = planService('redis', ['get', 'set'], ['cpu', 'io', 'vm'], [0, 1, 2, 3, 4, 5], 'ascending', 1);
    expect(plan).toHaveLength(16);
    expect(plan.flatMap((s) => s.configs)).toHaveLength(32);
    expect(plan[0]!.configs.map((c) => c.id)).toEqual(['redis/get/none-0', 'redis/set/none-0']);
    expect(plan[1]!.configs[0]).toEqual({ id: 'redis/get/cpu-1', service: 'redis', mix: 'get', kind: 'cpu', level: 1, workers: 1 });
    expect(plan.at(-1)!.configs[1]!.id).toBe(configId('redis', 'set', 'vm', 5));
  });

  it('shuffled: the same settings in a seeded order', () => {
    const a = planService('nginx', ['small'], ['cpu', 'io'], [0, 1, 2], 'shuffled', 3);
    const b = planService('nginx', ['small'], ['cpu', 'io'], [0, 1, 2], 'shuffled', 3);
    const asc = planService('nginx', ['small'], ['cpu', 'io'], [0, 1, 2], 'ascending', 3);
    expect(a).toEqual(b);
    expect(a.map((s) => `${s.kind}-${s.level}`).sort()).toEqual(asc.map((s) => `${s.kind}-${s.level}`).sort());
  });

  it('levels and stress-ng arguments: level k = k workers of the kind', () => {
    expect(parseLevels('0..5')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(parseLevels('3,0, 1..2')).toEqual([0, 1, 2, 3]);
    expect(() => parseLevels('5..0')).toThrow(/backwards/);
    expect(() => parseLevels('x')).toThrow(/not a level/);
    expect(stressArgs('cpu', 3, '/t', 10)).toEqual(['--cpu', '3', '--temp-path', '/t', '--timeout', '10s']);
    expect(stressArgs('io', 2, '/t', 10).slice(0, 2)).toEqual(['--hdd', '2']);
    expect(stressArgs('vm', 4, '/t', 10).slice(0, 4)).toEqual(['--vm', '4', '--vm-bytes', '64M']);
  });

  it('a missing program is named with its Debian package', () => {
    expect(() => findProgram('surely-not-a-program', 'some-package', '/nonexistent')).toThrow(MissingProgramError);
    expect(() => findProgram('surely-not-a-program', 'some-package', '/nonexistent')).toThrow('surely-not-a-program not found: install the Debian package some-package');
  });
});
