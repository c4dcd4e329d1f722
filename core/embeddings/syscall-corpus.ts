import type { Bundle } from '../bundle/reader.ts';
import { dictColumn, numberColumn } from '../bundle/columns.ts';

/**
 * The skip-gram corpus of a bundle: one "sentence" per thread, its syscall names in time order. Threads are the
 * unit because a thread's calls follow one another in its code (read after poll, close after openat); the
 * table's global order interleaves unrelated threads, which would make neighbours out of strangers.
 */

/** Stands for every name seen fewer than `minCount` times, so rare calls share one vector instead of noise. */
export const RARE_TOKEN = '<rare>';

export interface ThreadSequence {
  readonly tid: number;
  readonly pid: number;
  /** Indices into `SyscallSequences.names`, in time order. */
  readonly nameIds: Int32Array;
  /** Entry time of each call, ns (non-decreasing). */
  readonly tsNs: Float64Array;
  /** Row of each call in the syscalls table. */
  readonly rows: Int32Array;
}

export interface SyscallSequences {
  /** Distinct syscall names seen (kind "syscall" only), in order of first appearance. */
  readonly names: readonly string[];
  /** One per thread, in order of the thread's first call. */
  readonly threads: readonly ThreadSequence[];
}

export interface SequenceOptions {
  /** Keep only calls with fromNs <= ts_ns < toNs, e.g. to fit embeddings on a forecaster's training span only. */
  readonly fromNs?: number;
  readonly toNs?: number;
}

/** Per-thread syscall sequences. Throws an Error that says what is missing when the bundle has no syscalls. */
export function syscallSequences(bundle: Bundle, options: SequenceOptions = {}): SyscallSequences {
  const table = bundle.tables.syscalls;
  if (!table) {
    throw new Error('this bundle has no syscalls table: record it with strace (tlab record --strace) or import an strace log');
  }
  const from = options.fromNs ?? Number.NEGATIVE_INFINITY;
  const to = options.toNs ?? Number.POSITIVE_INFINITY;
  const kind = dictColumn(table, 'kind');
  const syscallCode = kind.values.indexOf('syscall');
  const name = dictColumn(table, 'name');
  const ts = numberColumn(table, 'ts_ns');
  const tid = numberColumn(table, 'tid');
  const pid = numberColumn(table, 'pid');

  // Table dictionary codes → dense ids over names actually used by syscall rows.
  const idOfCode = new Int32Array(name.values.length).fill(-1);
  const names: string[] = [];
  const rowsOfThread = new Map<number, number[]>();
  for (let r = 0; r < table.numRows; r++) {
    if (kind.codes[r] !== syscallCode || syscallCode < 0) continue;
    const code = name.codes[r]!;
    const t = ts[r]!;
    if (code < 0 || !(t >= from && t < to)) continue;
    if (idOfCode[code] === -1) {
      idOfCode[code] = names.length;
      names.push(name.values[code]!);
    }
    const key = tid[r]!;
    let list = rowsOfThread.get(key);
    if (!list) rowsOfThread.set(key, (list = []));
    list.push(r);
  }

  const threads: ThreadSequence[] = [];
  for (const [t, list] of rowsOfThread) {
    // The table is written in entry order, but a merged or imported log need not be: a stable sort makes sure.
    list.sort((a, b) => ts[a]! - ts[b]! || a - b);
    const n = list.length;
    const nameIds = new Int32Array(n);
    const tsNs = new Float64Array(n);
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const r = list[i]!;
      nameIds[i] = idOfCode[name.codes[r]!]!;
      tsNs[i] = ts[r]!;
      rows[i] = r;
    }
    threads.push({ tid: t, pid: pid[list[0]!]!, nameIds, tsNs, rows });
  }
  return { names, threads };
}

export interface Vocabulary {
  /** Token strings; id = index. Most frequent first (ties by name), so ids are stable for a given corpus. */
  readonly tokens: readonly string[];
  /** Occurrences of each token in the corpus (for RARE_TOKEN: all the rare names together). */
  readonly counts: Float64Array;
  readonly index: ReadonlyMap<string, number>;
  /** Id of RARE_TOKEN, or -1 when no name was rare. */
  readonly rareId: number;
  readonly minCount: number;
  /** Sum of counts. */
  readonly totalTokens: number;
}

/** A vocabulary from name counts: names below `minCount` fold into RARE_TOKEN. */
export function buildVocabulary(nameCounts: ReadonlyMap<string, number>, minCount = 1): Vocabulary {
  const kept: [string, number][] = [];
  let rare = 0;
  for (const [n, c] of nameCounts) {
    if (c <= 0) continue;
    if (c >= minCount) kept.push([n, c]);
    else rare += c;
  }
  if (rare > 0) kept.push([RARE_TOKEN, rare]);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const tokens = kept.map((k) => k[0]);
  const counts = Float64Array.from(kept, (k) => k[1]);
  const index = new Map(tokens.map((t, i) => [t, i] as const));
  return {
    tokens,
    counts,
    index,
    rareId: index.get(RARE_TOKEN) ?? -1,
    minCount,
    totalTokens: counts.reduce((a, b) => a + b, 0),
  };
}

export interface SyscallCorpus {
  readonly sequences: SyscallSequences;
  readonly vocab: Vocabulary;
  /** Per thread (same order as sequences.threads), token ids into vocab. */
  readonly tokenIds: readonly Int32Array[];
}

export interface CorpusOptions extends SequenceOptions {
  /** Names seen fewer times than this become RARE_TOKEN (word2vec's min-count; default 1 keeps every name). */
  readonly minCount?: number;
}

/** Sequences, vocabulary and token ids of a bundle's syscalls. */
export function syscallCorpus(bundle: Bundle, options: CorpusOptions = {}): SyscallCorpus {
  return corpusFromSequences(syscallSequences(bundle, options), options.minCount ?? 1);
}

export function corpusFromSequences(sequences: SyscallSequences, minCount = 1): SyscallCorpus {
  const perName = new Float64Array(sequences.names.length);
  for (const t of sequences.threads) for (const id of t.nameIds) perName[id]!++;
  const vocab = buildVocabulary(new Map(sequences.names.map((n, i) => [n, perName[i]!] as const)), minCount);
  // name id → token id once, then each sequence is a table look-up.
  const tokenOfName = Int32Array.from(sequences.names, (n) => vocab.index.get(n) ?? vocab.rareId);
  const tokenIds = sequences.threads.map((t) => t.nameIds.map((id) => tokenOfName[id]!));
  return { sequences, vocab, tokenIds };
}

/** A corpus from plain token strings (tests, toy corpora, other event kinds): one array per sentence. */
export function corpusFromSentences(sentences: readonly (readonly string[])[], minCount = 1): SyscallCorpus {
  const names: string[] = [];
  const idOf = new Map<string, number>();
  const threads: ThreadSequence[] = sentences.map((s, k) => {
    const nameIds = Int32Array.from(s, (w) => {
      let id = idOf.get(w);
      if (id === undefined) {
        id = names.length;
        idOf.set(w, id);
        names.push(w);
      }
      return id;
    });
    return { tid: k, pid: k, nameIds, tsNs: Float64Array.from(s, (_, i) => i), rows: new Int32Array(s.length).fill(-1) };
  });
  return corpusFromSequences({ names, threads }, minCount);
}
