import type { Examples, Forecaster } from './types.ts';

/**
 * The baselines every model must beat. They read the raw target over each example's input window
 * (`lastTargets`), so they work whatever the chosen inputs are, and they learn nothing from training data
 * (except the training mean, which only looks at training targets).
 */

/** The last observed value: "the next h intervals look like the last one". */
export class Persistence implements Forecaster {
  readonly name = 'persistence';

  fit(): void {}

  predict(set: Examples): Float32Array {
    const k = set.layout.history;
    const out = new Float32Array(set.n);
    for (let e = 0; e < set.n; e++) out[e] = set.lastTargets[e * k + k - 1]!;
    return out;
  }
}

/**
 * The mean of the last m observed values. m defaults to the history length; an m longer than the history is
 * cut to it, because an example holds only k intervals (so the window never reaches beyond its inputs).
 */
export class MovingAverage implements Forecaster {
  readonly name = 'moving-average';

  constructor(private readonly m?: number) {
    if (m !== undefined && !(Number.isInteger(m) && m >= 1)) throw new Error(`moving average window must be a positive integer, got ${m}`);
  }

  fit(): void {}

  predict(set: Examples): Float32Array {
    const k = set.layout.history;
    const m = Math.min(this.m ?? k, k);
    const out = new Float32Array(set.n);
    for (let e = 0; e < set.n; e++) {
      let sum = 0;
      for (let l = k - m; l < k; l++) sum += set.lastTargets[e * k + l]!;
      out[e] = sum / m;
    }
    return out;
  }
}

/** The training targets' mean, whatever the inputs: the floor a model with any skill must clear. */
export class TrainMean implements Forecaster {
  readonly name = 'mean';
  private value = 0;

  fit(train: Examples): void {
    let sum = 0;
    for (let e = 0; e < train.n; e++) sum += train.y[e]!;
    this.value = train.n > 0 ? sum / train.n : 0;
  }

  predict(set: Examples): Float32Array {
    return new Float32Array(set.n).fill(this.value);
  }
}
