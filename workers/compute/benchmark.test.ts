import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { benchmarkTrainingStep } from './benchmark.ts';
import { runGradientChecks } from './gradient-checks.ts';

// The CPU backend runs in Node, so the step and the checks are exercised here for real, leaks included.
describe('benchmark and gradient checks on the CPU backend', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('times a training step that learns and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const r = await benchmarkTrainingStep({ targetMs: 100, minSteps: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.msPerStep).toBeGreaterThan(0);
    expect(r.steps).toBeGreaterThanOrEqual(3);
    expect(r.stepsPerSecond).toBeCloseTo(1000 / r.msPerStep, 6);
  });

  it('runs every gradient check for real, and only looks kernels up when asked not to run', async () => {
    const before = tf.memory().numTensors;
    const ran = await runGradientChecks(true);
    expect(ran.map((g) => [g.ran, g.ok, g.error])).toEqual(ran.map(() => [true, true, undefined]));
    const looked = await runGradientChecks(false);
    expect(looked.every((g) => !g.ran && g.ok)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
