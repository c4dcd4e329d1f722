import { describe, expect, it } from 'vitest';
import { Rng } from '../ml/rng.ts';
import { featureLayout } from './features.ts';
import { UNKNOWN_CLASS } from './types.ts';
import { maskUnknownClasses } from './unknown-masking.ts';

/** Windows whose class one-hots follow `classes` (one list per window); nothing else set. */
function batch(classes: number[][], vocab: number) {
  const layout = featureLayout(vocab, 1, 2);
  const window = classes[0]!.length;
  const x = new Float32Array(classes.length * window * layout.width);
  classes.forEach((w, b) => w.forEach((c, t) => (x[(b * window + t) * layout.width + layout.classOffset + c] = 1)));
  return { layout, window, x };
}

const classAt = (x: Float32Array, layout: ReturnType<typeof featureLayout>, window: number, b: number, t: number) => {
  const row = (b * window + t) * layout.width + layout.classOffset;
  const hot = [];
  for (let c = 0; c < layout.vocabSize; c++) if (x[row + c] === 1) hot.push(c);
  return hot;
};

describe('maskUnknownClasses', () => {
  it('at rate 1 turns every real class (not idle/unknown/other) into <unknown>, inputs and next-class target alike', () => {
    const { layout, window, x } = batch([[0, 3, 4, 3]], 6);
    const y = Int32Array.from([4]);
    maskUnknownClasses(x, y, window, layout, 'next-class', 1, new Rng(1));
    expect([0, 1, 2, 3].map((t) => classAt(x, layout, window, 0, t))).toEqual([[0], [UNKNOWN_CLASS], [UNKNOWN_CLASS], [UNKNOWN_CLASS]]);
    expect(y[0]).toBe(UNKNOWN_CLASS);
  });

  it('masks a class consistently within a window, and leaves targets of other kinds alone', () => {
    const { layout, window, x } = batch(Array.from({ length: 200 }, () => [3, 4, 3, 4]), 6);
    const y = new Int32Array(200).fill(2); // a prev-state index, not a class
    maskUnknownClasses(x, y, window, layout, 'prev-state', 0.5, new Rng(2));
    let masked3 = 0;
    for (let b = 0; b < 200; b++) {
      const a = classAt(x, layout, window, b, 0)[0];
      expect(classAt(x, layout, window, b, 2)[0]).toBe(a);
      if (a === UNKNOWN_CLASS) masked3++;
    }
    // About half the windows: a fair coin over 200 draws lands in 70..130 with overwhelming probability.
    expect(masked3).toBeGreaterThan(70);
    expect(masked3).toBeLessThan(130);
    expect(Array.from(y).every((v) => v === 2)).toBe(true);
  });

  it('at rate 0 changes nothing', () => {
    const { layout, window, x } = batch([[3, 4]], 6);
    const before = x.slice();
    maskUnknownClasses(x, Int32Array.from([3]), window, layout, 'next-class', 0, new Rng(3));
    expect(Array.from(x)).toEqual(Array.from(before));
  });
});
