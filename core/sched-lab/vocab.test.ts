import { describe, expect, it } from 'vitest';
import { IDLE_CLASS, OTHER_CLASS, UNKNOWN_CLASS, type SwitchTrace, type TraceRole } from './types.ts';
import { buildVocab, vocabFromJson, vocabToJson } from './vocab.ts';

/** A trace that only carries what the vocabulary reads: class names switched in and out. */
function namesTrace(next: string[], prev: string[], role: TraceRole = 'train'): SwitchTrace {
  const classNames = [...new Set([...next, ...prev])];
  const n = next.length;
  return {
    traceId: `t-${role}`,
    workload: 'w',
    role,
    length: n,
    tsNs: new Float64Array(n),
    cpu: new Int32Array(n),
    prevPid: new Int32Array(n),
    nextPid: new Int32Array(n),
    classNames,
    prevClass: Int32Array.from(prev, (p) => classNames.indexOf(p)),
    nextClass: Int32Array.from(next, (c) => classNames.indexOf(c)),
    prevState: new Int32Array(n),
    woken: new Int8Array(n),
    wakeLatencyNs: new Float64Array(n),
    inferred: new Uint8Array(n),
    inferredCount: 0,
  };
}

// Switched in: a 5, b 3, c 3, d 1, <idle> 4; "e" is only ever switched out.
const next = ['a', 'b', 'a', '<idle>', 'c', 'a', 'b', '<idle>', 'c', 'a', 'd', '<idle>', 'c', 'b', 'a', '<idle>'];
const prev = ['e', ...next.slice(0, -1)];

describe('buildVocab', () => {
  const vocab = buildVocab([namesTrace(next, prev)], { maxClasses: 5, minCount: 2 });

  it('puts the reserved classes first, then the most switched-in classes, ties by name, up to the cap', () => {
    expect(vocab.names).toEqual(['<idle>', '<unknown>', '<other>', 'a', 'b']);
  });

  it('maps capped, rare and switched-out-only names to <other>, and only never-seen names to <unknown>', () => {
    expect(vocab.classOf('<idle>')).toBe(IDLE_CLASS);
    expect(vocab.classOf('a')).toBe(3);
    expect(vocab.classOf('b')).toBe(4);
    expect(vocab.classOf('c')).toBe(OTHER_CLASS); // beyond the cap (tie with b, lost by name)
    expect(vocab.classOf('d')).toBe(OTHER_CLASS); // below minCount
    expect(vocab.classOf('e')).toBe(OTHER_CLASS); // seen, but only switched out
    expect(vocab.classOf('sched-messaging')).toBe(UNKNOWN_CLASS);
  });

  it('keeps c once the cap allows, and drops classes below minCount even then', () => {
    const wide = buildVocab([namesTrace(next, prev)], { maxClasses: 50, minCount: 2 });
    expect(wide.names).toEqual(['<idle>', '<unknown>', '<other>', 'a', 'b', 'c']);
    expect(buildVocab([namesTrace(next, prev)], { maxClasses: 50, minCount: 1 }).names).toContain('d');
  });

  it('is the same whatever the order of the traces', () => {
    const half = next.length / 2;
    const one = namesTrace(next.slice(0, half), prev.slice(0, half));
    const two = namesTrace(next.slice(half), prev.slice(half));
    const opts = { maxClasses: 6, minCount: 1 };
    expect(buildVocab([two, one], opts).names).toEqual(buildVocab([one, two], opts).names);
  });

  it('refuses test traces and a cap smaller than the reserved classes', () => {
    expect(() => buildVocab([namesTrace(next, prev, 'test-unseen')], { maxClasses: 5, minCount: 1 })).toThrow(/training traces only.*test-unseen/);
    expect(() => buildVocab([namesTrace(next, prev)], { maxClasses: 2, minCount: 1 })).toThrow(/at least 3/);
  });

  it('round-trips through JSON, keeping <other> and <unknown> apart', () => {
    const back = vocabFromJson(JSON.parse(JSON.stringify(vocabToJson(vocab))));
    expect(back.names).toEqual(vocab.names);
    for (const name of ['<idle>', 'a', 'b', 'c', 'd', 'e', 'never']) expect(back.classOf(name)).toBe(vocab.classOf(name));
    expect(() => vocabFromJson({ version: 1, names: ['a', '<unknown>', '<other>'], other: [] })).toThrow(/class 0 must be "<idle>"/);
    expect(() => vocabFromJson({ names: [] })).toThrow(/not a saved vocabulary/);
  });
});
