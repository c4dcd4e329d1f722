/** Which way the output must move when an input grows, over a box of inputs. */
export type Direction = 'increasing' | 'decreasing' | 'free';

export interface MonotoneSpec {
  readonly directions: readonly Direction[];
  readonly lo: readonly number[];
  readonly hi: readonly number[];
}

/** A certain violation: moving input `input` from lo to hi (all else equal) moved f the wrong way. */
export interface Counterexample {
  readonly input: number;
  readonly lo: number[];
  readonly hi: number[];
  readonly fLo: number;
  readonly fHi: number;
}

export function checkSpec(spec: MonotoneSpec, inputs: number): void {
  for (const [name, v] of [
    ['directions', spec.directions],
    ['lo', spec.lo],
    ['hi', spec.hi],
  ] as const) {
    if (v.length !== inputs) throw new Error(`spec.${name} has ${v.length} entries; the network has ${inputs} inputs`);
  }
  spec.lo.forEach((l, i) => {
    if (!(l <= spec.hi[i]!)) throw new Error(`spec box: input ${i} has lo ${l} > hi ${spec.hi[i]}`);
  });
}

/** Sign the spec wants for ∂f/∂x_i: +1 increasing, −1 decreasing, 0 free. */
export function wantedSign(d: Direction): number {
  return d === 'increasing' ? 1 : d === 'decreasing' ? -1 : 0;
}
