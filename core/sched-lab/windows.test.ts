import { describe, expect, it } from 'vitest';
import { handSequence } from './hand-sequence.ts';
import { splitTrainValidation, windowPositions } from './windows.ts';

const a = handSequence([1, 2, 3, 4, 5, 6, 7, -1], { traceId: 'a' });
const b = handSequence([9, 8, 7, -1], { traceId: 'b' });
const c = handSequence([5, -1], { traceId: 'c' });

describe('windowPositions', () => {
  it('ends windows only where a full window fits inside one sequence and a target exists', () => {
    const { seq, pos } = windowPositions([a, b, c], 3, 1);
    // a: positions 2..6 (7 has no target); b: 2; c: too short.
    expect(Array.from(seq)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(Array.from(pos)).toEqual([2, 3, 4, 5, 6, 2]);
  });

  it('steps by the stride from the first full window, restarting in each sequence', () => {
    const { seq, pos } = windowPositions([a, b], 2, 4);
    expect(Array.from(seq)).toEqual([0, 0, 1]);
    expect(Array.from(pos)).toEqual([1, 5, 1]);
  });

  it('refuses a window or stride below 1', () => {
    expect(() => windowPositions([a], 0, 1)).toThrow(/window/);
    expect(() => windowPositions([a], 2, 0)).toThrow(/stride/);
  });
});

describe('splitTrainValidation', () => {
  it('keeps the last fraction of each sequence for validation, as re-based views', () => {
    const { train, validation } = splitTrainValidation([a, b], 0.25);
    expect(train.map((s) => s.length)).toEqual([6, 3]);
    expect(validation.map((s) => s.length)).toEqual([2, 1]);
    expect(Array.from(validation[0]!.target)).toEqual([7, -1]);
    expect(validation[0]!.classId[0]).toBe(a.classId[6]);
    expect(validation[0]!.classId.buffer).toBe(a.classId.buffer);
    expect(validation[0]!.traceId).toBe('a');
  });

  it('leaves the training part no target inside validation, without touching the original', () => {
    const { train } = splitTrainValidation([a], 0.25);
    expect(Array.from(train[0]!.target)).toEqual([1, 2, 3, 4, 5, -1]);
    expect(a.target[5]).toBe(6);
    const ends = windowPositions(train, 2, 1).pos;
    expect(Math.max(...ends)).toBe(4);
  });

  it('with fraction 0 keeps everything for training', () => {
    const { train, validation } = splitTrainValidation([a], 0);
    expect(validation).toEqual([]);
    expect(Array.from(train[0]!.target)).toEqual(Array.from(a.target));
    expect(() => splitTrainValidation([a], 1)).toThrow(/fraction/);
  });
});
