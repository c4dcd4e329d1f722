import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import type { Bundle } from '../bundle/reader.ts';
import { bundleFromParsed, importCapture } from './capture-to-bundle.ts';
import { ImportError } from './errors.ts';
import { SCHED_EVENTS } from './ftrace-events.ts';
import { UnknownTraceError } from './kernel-oracle.ts';
import { ByteLineSplitter, decodeLine } from './byte-lines.ts';
import { LineSplitter } from './lines.ts';
import { importerFor, IMPORTERS, type TextFormat } from './registry.ts';
import type { ParserOptions } from './importer.ts';
import { NoSystraceDataError } from './systrace.ts';

/**
 * Property tests: every importer is fed FUZZ_RUNS inputs mutated from its real fixtures (truncation, byte flips,
 * line shuffles, duplicated and dropped lines, CRLF, a BOM, huge lines). Whatever comes in, the importer
 * returns a bundle or throws its typed refusal, within a time bounded by the input's size, with the same
 * output for the same bytes, and every row of an accepted bundle keeps its table's invariants.
 * The seed is fixed, so a failure replays; FUZZ_SEED and FUZZ_RUNS override it.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);

const fixture = (p: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/${p}`, import.meta.url)));

/** The first lines of a real capture (a few KiB: thousands of runs must fit the CI budget). */
function head(p: string, lines = 32, from = 0): Uint8Array {
  const text = new TextDecoder().decode(fixture(p));
  const all = text.split('\n');
  return new TextEncoder().encode(all.slice(from, from + lines).join('\n') + '\n');
}

/** A systrace page's trace-data block, with the HTML around it, cut to a few KiB. */
function systraceSeed(p: string): Uint8Array {
  const text = new TextDecoder().decode(fixture(p));
  const at = text.indexOf('<script class="trace-data"');
  const end = text.indexOf('</script>', at);
  const body = text.slice(at, Math.min(end, at + 4000));
  return new TextEncoder().encode(`<!DOCTYPE html>\n<html>\n${body.slice(0, body.lastIndexOf('\n'))}\n</script>\n</html>\n`);
}

const SEEDS: Record<TextFormat, Uint8Array[]> = {
  strace: [head('strace/strace-t-ls.log'), head('strace/strace-f-ttt-T-pipeline-threads.log')],
  ftrace: [head('ftrace/tracefs-hackbench.txt'), head('ftrace/tracefs-hackbench-threads-tgid-noirq.txt')],
  systrace: [systraceSeed('systrace/trace_systrace.html'), fixture('systrace/trace_legacy_systrace.html')],
  'perf-stat': [head('perf-stat/perf-stat-I100.csv'), head('perf-stat/perf-stat-a-A-I200.csv')],
  'perf-sched': [head('perf-sched/perf-sched-script-messaging.txt'), head('perf-sched/perf-sched-script-exec-exit.txt')],
  'perfspect-summary': [head('perfspect/CLX-500.csv')],
  'perfspect-series': [head('perfspect-series/metric_out.sys.csv'), head('perfspect-series/cpu_metrics.csv')],
  'kernel-oracle-csv': [head('kernel-oracle/hackbench-all.csv')],
  psi: [head('psi/psi-proc-pressure-loop.txt'), head('psi/psi-header-per-read-2cgroups.txt')],
  csv: [head('csv/azure-v2-vm-cpu-readings-aggregated-first200.csv'), head('csv/psi-loop.csv'), head('csv/sadf-d-cpu.csv')],
};

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'dup'; at: number }
  | { kind: 'drop'; at: number }
  | { kind: 'crlf' }
  | { kind: 'bom' }
  | { kind: 'huge'; at: number; size: number; byte: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crlf' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('bom' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), size: fc.integer({ min: 1_000, max: 40_000 }), byte: fc.constantFrom(0x61, 0x30, 0x2c, 0x28, 0x20, 0x3a, 0x2e, 0x22) }) },
);

function lines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 10) {
      out.push(b.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < b.length) out.push(b.subarray(start));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function mutate(seed: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = seed;
  for (const m of ms) {
    const ls = lines(b);
    switch (m.kind) {
      case 'truncate':
        b = b.subarray(0, b.length ? m.at % (b.length + 1) : 0);
        break;
      case 'flip':
        if (b.length) {
          b = b.slice();
          b[m.at % b.length] = m.byte;
        }
        break;
      case 'swap':
        if (ls.length > 1) {
          const [i, j] = [m.a % ls.length, m.b % ls.length];
          [ls[i], ls[j]] = [ls[j]!, ls[i]!];
          b = concat(ls);
        }
        break;
      case 'dup':
        if (ls.length) {
          const i = m.at % ls.length;
          b = concat([...ls.slice(0, i + 1), ls[i]!, ...ls.slice(i + 1)]);
        }
        break;
      case 'drop':
        if (ls.length) {
          const i = m.at % ls.length;
          b = concat([...ls.slice(0, i), ...ls.slice(i + 1)]);
        }
        break;
      case 'crlf':
        b = new TextEncoder().encode(new TextDecoder().decode(b).replace(/\r?\n/g, '\r\n'));
        break;
      case 'bom':
        b = concat([new Uint8Array([0xef, 0xbb, 0xbf]), b]);
        break;
      case 'huge': {
        const i = ls.length ? m.at % (ls.length + 1) : 0;
        b = concat([...ls.slice(0, i), new Uint8Array(m.size).fill(m.byte), new Uint8Array([10]), ...ls.slice(i)]);
        break;
      }
    }
  }
  return b;
}

const typed = (e: unknown) => e instanceof ImportError || e instanceof UnknownTraceError || e instanceof NoSystraceDataError;

/**
 * The importer's own path, without the stream: bytes -> lines -> its parser -> bundle (or a typed refusal).
 * Lines go as bytes to a parser that reads bytes (strace's fast path), as importCapture gives them, unless
 * `asText`: then every line is decoded and pushed as a string (the slow path the fast one must match).
 */
function importAs(format: TextFormat, bytes: Uint8Array, asText = false, options: ParserOptions = {}): { bundle: Bundle } | { refused: string } {
  const parser = importerFor(format).parser('fuzz', options);
  try {
    if (parser.pushLineBytes && !asText) {
      const splitter = new ByteLineSplitter({ line: (b, s, e) => parser.pushLineBytes!(b, s, e), overlong: () => parser.pushLine('') });
      splitter.push(bytes);
      splitter.end();
    } else {
      const splitter = new LineSplitter();
      for (const l of splitter.push(bytes)) parser.pushLine(l);
      for (const l of splitter.end()) parser.pushLine(l);
    }
    return { bundle: bundleFromParsed('fuzz', format, parser.finish()).bundle };
  } catch (e) {
    if (typed(e)) return { refused: `${(e as Error).name}: ${(e as Error).message}` };
    throw e;
  }
}

/** Everything the bundle says, but its creation time, as one string (the same bytes must give the same string). */
function digest(b: Bundle): string {
  const { createdAt: _createdAt, ...manifest } = b.manifest;
  const tables = Object.entries(b.tables).map(([name, t]) => [name, t.schema.fields.map((f) => [f.name, Array.from(t.getChild(f.name)!.toArray() as ArrayLike<unknown>, (v) => (typeof v === 'bigint' ? Number(v) : v))])]);
  return JSON.stringify([manifest, tables, b.warnings]);
}

const ENUMS: Record<string, Record<string, ReadonlySet<string>>> = {
  syscalls: { kind: new Set(['syscall', 'signal', 'exit', 'killed']) },
  sched: { event: SCHED_EVENTS },
  psi: { resource: new Set(['cpu', 'memory', 'io', 'irq', 'unknown']) },
};

/** The table invariants every accepted bundle keeps; returns the first broken one, in words. */
function broken(b: Bundle): string | null {
  const end = b.manifest.workload.endNs;
  for (const [name, t] of Object.entries(b.tables)) {
    if (!t) continue;
    const ts = numberColumn(t, 'ts_ns');
    for (let i = 0; i < ts.length; i++) {
      if (!(ts[i]! >= 0 && ts[i]! <= end)) return `${name} row ${i}: ts_ns ${ts[i]} outside the capture's span 0..${end}`;
    }
    for (const col of ['interval_ns', 'duration_ns']) {
      if (!t.getChild(col)) continue;
      const v = numberColumn(t, col);
      for (let i = 0; i < v.length; i++) if (v[i]! < 0) return `${name} row ${i}: ${col} ${v[i]} is negative`;
    }
    for (const [col, allowed] of Object.entries(ENUMS[name] ?? {})) {
      const d = dictColumn(t, col);
      for (let i = 0; i < d.codes.length; i++) {
        const v = d.codes[i]! < 0 ? null : d.values[d.codes[i]!]!;
        if (v === null || !allowed.has(v)) return `${name} row ${i}: ${col} ${JSON.stringify(v)} is not one of ${[...allowed].join(', ')}`;
      }
    }
    for (const f of t.schema.fields) {
      if (f.typeId !== 3 && f.typeId !== 2) continue; // Float and Int
      const v = numberColumn(t, f.name);
      for (let i = 0; i < v.length; i++) if (v[i] === Infinity || v[i] === -Infinity) return `${name} row ${i}: ${f.name} is infinite`;
    }
  }
  return null;
}

/**
 * "No hang": a bound on the CPU time a parse may take, per MiB plus a constant, far above what any importer
 * needs (a few ms per input here) and far below what a hang or a quadratic path takes. It is CPU time, not
 * wall time, so a loaded machine (CI's 2 cores run other work) does not stretch it: process.cpuUsage() is
 * the process's, and Vitest runs each test file in its own forked process, so it is this parse's cost plus
 * the runtime's own threads (GC). A GC pause can still land inside one call: an input over the bound is
 * parsed once more, and only an input that is over it twice is reported as slow.
 */
const allowedCpuMs = (bytes: number) => 200 + (bytes / 2 ** 20) * 2000;

function cpuTimed<T>(f: () => T): { out: T; ms: number } {
  const c0 = process.cpuUsage();
  const out = f();
  const c = process.cpuUsage(c0);
  return { out, ms: (c.user + c.system) / 1000 };
}

/** The digest of an import's answer: the bundle's content, or the refusal's words. */
const answer = (out: { bundle: Bundle } | { refused: string }) => ('bundle' in out ? digest(out.bundle) : out.refused);

/**
 * The property every importer is held to: mutated inputs of its real seeds (which must themselves import) give a
 * bundle that keeps the table invariants or a typed refusal, within the CPU bound, and the same answer twice.
 */
function fuzzImporter(format: TextFormat, seeds: readonly Uint8Array[], runs: number, options: ParserOptions = {}): void {
  // The seeds themselves import: the mutations start from captures the importer accepts.
  for (const s of seeds) expect('bundle' in importAs(format, s, false, options), `${format} seed`).toBe(true);
  let accepted = 0;
  let run = 0;
  fc.assert(
    fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ms) => {
      const input = mutate(seeds[which]!, ms);
      const what = () => `${format}: seed fixture ${which}, mutations ${JSON.stringify(ms)}, ${input.length} bytes (FUZZ_SEED=${SEED}; fast-check prints the path to replay)`;
      let { out, ms: cpu } = cpuTimed(() => importAs(format, input, false, options));
      if (cpu > allowedCpuMs(input.length)) {
        const again = cpuTimed(() => importAs(format, input, false, options));
        if (again.ms > allowedCpuMs(input.length)) {
          throw new Error(`${what()} took ${cpu.toFixed(0)} ms and ${again.ms.toFixed(0)} ms of CPU time, over the bound of ${allowedCpuMs(input.length).toFixed(0)} ms`);
        }
        ({ out, ms: cpu } = again);
      }
      if ('bundle' in out) {
        accepted++;
        const why = broken(out.bundle);
        if (why) throw new Error(`${what()}: ${why}`);
      }
      // Same bytes, same answer (checked on every 8th input: the budget is CI time). A parser that reads
      // bytes is checked against its own string path instead, which also catches a fast path that differs.
      if (run++ % 8 === 0) {
        const again = importAs(format, input, true, options);
        if (answer(out) !== answer(again)) throw new Error(`${what()}: two imports of the same bytes differ${importerFor(format).parser('fuzz', options).pushLineBytes ? ' (bytes vs text lines)' : ''}`);
      }
    }),
    { numRuns: runs, seed: SEED },
  );
  // Mutations that keep most lines are still imported: the property did not pass by refusing everything.
  expect(accepted, `${format}: accepted ${accepted} of ${run}`).toBeGreaterThan(runs * 0.1);
}

describe('importers under mutated real captures (fast-check)', () => {
  for (const { format } of IMPORTERS) {
    it(`${format}: ${RUNS} mutated inputs give a bundle that keeps the invariants or a typed refusal, in bounded time, deterministically`, () => {
      fuzzImporter(format, SEEDS[format], RUNS);
    });
  }

  it(`csv with a row interval (public cluster datasets with no time column): ${Math.max(100, RUNS / 5)} mutated inputs keep the invariants or are refused, deterministically`, () => {
    const seeds = [head('csv/alibaba2018-machine-usage-day1-300s.csv'), head('csv/google2019-instance-usage-day01-300s.csv')];
    fuzzImporter('csv', seeds, Math.max(100, RUNS / 5), { csv: { rowIntervalS: 300 } });
  });

  it('the whole way in (sniffing, detection, gzip-free streams in small chunks): no exception but the typed ones', async () => {
    const all = Object.values(SEEDS).flat();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: all.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4096 }), async (which, ms, chunk) => {
        const input = mutate(all[which]!, ms);
        try {
          const { bundle } = await importCapture('fuzz', input, { chunkBytes: chunk });
          const why = broken(bundle);
          if (why) throw new Error(why);
        } catch (e) {
          if (!typed(e)) throw e;
        }
      }),
      { numRuns: Math.max(100, RUNS / 5), seed: SEED },
    );
  });
});
