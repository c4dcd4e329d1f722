import { assertTrainingOnly } from './training-only.ts';
import { IDLE_CLASS, OTHER_CLASS, RESERVED_CLASS_NAMES, UNKNOWN_CLASS, type SwitchTrace, type Vocab } from './types.ts';

export interface VocabOptions {
  /** Vocabulary size including the three reserved classes. */
  readonly maxClasses: number;
  /** A class switched in fewer times than this in training goes to <other>. */
  readonly minCount: number;
}

/** What a saved vocabulary holds: the class names by id, and the rarer names that map to <other> (not <unknown>). */
export interface VocabJson {
  readonly version: 1;
  readonly names: readonly string[];
  readonly other: readonly string[];
}

/**
 * Classes ordered by how often training switches them in (ties by name). A class only seen being switched out,
 * or too rare, or beyond the cap, is still "seen": it maps to <other>, and only never-seen names map to <unknown>.
 */
export function buildVocab(traces: readonly SwitchTrace[], opts: VocabOptions): Vocab {
  assertTrainingOnly(traces, 'the vocabulary');
  if (!(opts.maxClasses >= RESERVED_CLASS_NAMES.length)) {
    throw new Error(`maxClasses must be at least ${RESERVED_CLASS_NAMES.length} (the reserved classes), got ${opts.maxClasses}`);
  }
  const switchedIn = new Map<string, number>();
  const seen = new Set<string>();
  for (const t of traces) {
    const perClass = new Float64Array(t.classNames.length);
    for (let i = 0; i < t.length; i++) perClass[t.nextClass[i]!]!++;
    const outClasses = new Set(t.prevClass);
    t.classNames.forEach((name, c) => {
      if (perClass[c]! > 0) switchedIn.set(name, (switchedIn.get(name) ?? 0) + perClass[c]!);
      if (perClass[c]! > 0 || outClasses.has(c)) seen.add(name);
    });
  }
  const reserved = new Set<string>(RESERVED_CLASS_NAMES);
  const ranked = [...switchedIn.entries()]
    .filter(([name, count]) => !reserved.has(name) && count >= opts.minCount)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, opts.maxClasses - RESERVED_CLASS_NAMES.length)
    .map(([name]) => name);
  const names = [...RESERVED_CLASS_NAMES, ...ranked];
  const kept = new Set(names);
  return makeVocab(names, [...seen].filter((n) => !kept.has(n)).sort());
}

export function vocabToJson(vocab: Vocab): VocabJson {
  const other = (vocab as Partial<VocabWithOther>).other;
  if (!other) throw new Error('vocabToJson: this vocabulary was not made by buildVocab or vocabFromJson');
  return { version: 1, names: [...vocab.names], other: [...other] };
}

export function vocabFromJson(json: unknown): Vocab {
  const j = json as Partial<VocabJson> | null;
  const isStrings = (a: unknown): a is string[] => Array.isArray(a) && a.every((s) => typeof s === 'string');
  if (!j || j.version !== 1 || !isStrings(j.names) || !isStrings(j.other)) {
    throw new Error('not a saved vocabulary: expected {version: 1, names: string[], other: string[]}');
  }
  RESERVED_CLASS_NAMES.forEach((name, i) => {
    if (j.names![i] !== name) throw new Error(`saved vocabulary: class ${i} must be "${name}", got "${j.names![i]}"`);
  });
  if (new Set(j.names).size !== j.names.length) throw new Error('saved vocabulary: class names repeat');
  return makeVocab(j.names, j.other);
}

interface VocabWithOther extends Vocab {
  readonly other: readonly string[];
}

function makeVocab(names: readonly string[], other: readonly string[]): VocabWithOther {
  const ids = new Map(names.map((n, i) => [n, i]));
  const rare = new Set(other);
  return {
    names,
    other,
    classOf(name: string): number {
      const id = ids.get(name);
      if (id !== undefined) return id;
      return rare.has(name) ? OTHER_CLASS : UNKNOWN_CLASS;
    },
  };
}

// The reserved ids are positions in RESERVED_CLASS_NAMES; fail loudly at import if the two drift apart.
if (RESERVED_CLASS_NAMES[IDLE_CLASS] !== '<idle>' || RESERVED_CLASS_NAMES[UNKNOWN_CLASS] !== '<unknown>' || RESERVED_CLASS_NAMES[OTHER_CLASS] !== '<other>') {
  throw new Error('sched-lab: RESERVED_CLASS_NAMES and the reserved class ids disagree');
}
