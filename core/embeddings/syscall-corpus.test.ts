import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dictColumn, numberColumn } from '../bundle/columns.ts';
import { readBundle, type Bundle } from '../bundle/reader.ts';
import { RARE_TOKEN, buildVocabulary, corpusFromSentences, syscallCorpus, syscallSequences, type SyscallCorpus } from './syscall-corpus.ts';

async function demo(file: string): Promise<Bundle> {
  const r = await readBundle(new Uint8Array(readFileSync(new URL(`../../public/datasets/${file}`, import.meta.url))));
  if (!r.ok) throw new Error(r.error.kind);
  return r.bundle;
}

describe('syscall corpus of messaging.tlab (strace)', () => {
  let bundle: Bundle;
  let corpus: SyscallCorpus;
  beforeAll(async () => {
    bundle = await demo('messaging.tlab');
    corpus = syscallCorpus(bundle);
  });

  it('has one sequence per thread, in time order, of that thread\'s syscall rows only', () => {
    const t = bundle.tables.syscalls!;
    const kind = dictColumn(t, 'kind');
    const name = dictColumn(t, 'name');
    const tid = numberColumn(t, 'tid');
    const ts = numberColumn(t, 'ts_ns');
    const threads = new Set<number>();
    let syscallRows = 0;
    for (let r = 0; r < t.numRows; r++) {
      if (kind.values[kind.codes[r]!] !== 'syscall') continue;
      syscallRows++;
      threads.add(tid[r]!);
    }
    const seqs = corpus.sequences;
    expect(seqs.threads.length).toBe(threads.size);
    expect(seqs.threads.length).toBeGreaterThan(10);
    expect(seqs.threads.reduce((n, th) => n + th.nameIds.length, 0)).toBe(syscallRows);
    for (const th of seqs.threads) {
      for (let i = 0; i < th.rows.length; i++) {
        const r = th.rows[i]!;
        // Plain checks: an expect() per row of 97k rows takes seconds.
        if (tid[r] !== th.tid || kind.values[kind.codes[r]!] !== 'syscall') throw new Error(`thread ${th.tid}: row ${r} is not its syscall`);
        if (seqs.names[th.nameIds[i]!] !== name.values[name.codes[r]!] || th.tsNs[i] !== ts[r]) throw new Error(`row ${r}: name or time differs`);
        if (i > 0 && th.tsNs[i]! < th.tsNs[i - 1]!) throw new Error(`thread ${th.tid}: call ${i} goes back in time`);
      }
    }
  });

  it('counts each token as often as the table has it', () => {
    const t = bundle.tables.syscalls!;
    const kind = dictColumn(t, 'kind');
    const name = dictColumn(t, 'name');
    const direct = new Map<string, number>();
    for (let r = 0; r < t.numRows; r++) {
      if (kind.values[kind.codes[r]!] !== 'syscall') continue;
      const n = name.values[name.codes[r]!]!;
      direct.set(n, (direct.get(n) ?? 0) + 1);
    }
    const { vocab } = corpus;
    expect(vocab.tokens.length).toBe(direct.size);
    for (const [n, c] of direct) expect(vocab.counts[vocab.index.get(n)!], n).toBe(c);
    // Signals and exits are rows of the table but not calls.
    expect(vocab.index.has('SIGCHLD')).toBe(false);
    expect(vocab.tokens[0]).toBe('read');
    // Token ids point back at the names of the rows.
    const ids = corpus.tokenIds;
    corpus.sequences.threads.forEach((th, k) => {
      th.nameIds.forEach((nid, i) => {
        if (vocab.tokens[ids[k]![i]!] !== corpus.sequences.names[nid]) throw new Error(`thread ${th.tid} call ${i}: wrong token id`);
      });
    });
  });

  it('folds names below minCount into <rare>, and keeps the total', () => {
    const c = syscallCorpus(bundle, { minCount: 10 });
    const rare = c.vocab.rareId;
    expect(rare).toBeGreaterThanOrEqual(0);
    expect(c.vocab.tokens[rare]).toBe(RARE_TOKEN);
    expect(c.vocab.totalTokens).toBe(corpus.vocab.totalTokens);
    for (let i = 0; i < c.vocab.tokens.length; i++) if (i !== rare) expect(c.vocab.counts[i]).toBeGreaterThanOrEqual(10);
    expect(c.vocab.index.has('getuid')).toBe(false);
  });

  it('keeps only a time span when asked (fit embeddings on a training span)', () => {
    const all = new Float64Array(corpus.vocab.totalTokens);
    let at = 0;
    for (const th of corpus.sequences.threads) all.set(th.tsNs, (at += th.tsNs.length) - th.tsNs.length);
    all.sort();
    const mid = all[Math.floor(all.length / 2)]!;
    const early = syscallSequences(bundle, { toNs: mid });
    const n = early.threads.reduce((k, th) => k + th.tsNs.length, 0);
    expect(n).toBe(all.filter((t) => t < mid).length);
    for (const th of early.threads) expect(Math.max(...th.tsNs)).toBeLessThan(mid);
  });
});

describe('syscall corpus errors and small cases', () => {
  it('says clearly when the bundle has no syscalls table', async () => {
    const b = await demo('sysbench-cpu.tlab');
    if (b.tables.syscalls) return; // this demo may gain strace later; the synthetic case below still runs
    expect(() => syscallCorpus(b)).toThrow(/no syscalls table/);
  });

  it('says clearly when a bundle object lacks the table', () => {
    const empty = { tables: {}, manifest: {}, raw: new Map(), entries: [], warnings: [] } as unknown as Bundle;
    expect(() => syscallSequences(empty)).toThrow(/no syscalls table.*strace/);
  });

  it('orders the vocabulary by count, ties by name', () => {
    const v = buildVocabulary(new Map([['b', 2], ['a', 2], ['c', 5], ['d', 1], ['e', 1]]), 2);
    expect(v.tokens).toEqual(['c', RARE_TOKEN, 'a', 'b']); // '<' sorts before letters
    expect(Array.from(v.counts)).toEqual([5, 2, 2, 2]);
    const c = corpusFromSentences([['x', 'y', 'x'], ['y', 'x']]);
    expect(c.vocab.tokens).toEqual(['x', 'y']);
    expect(c.tokenIds.map((s) => Array.from(s))).toEqual([[0, 1, 0], [1, 0]]);
  });
});
