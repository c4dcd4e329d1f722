import { describe, expect, it } from 'vitest';
import { keyColour } from './colours.ts';
import { formatDuration, formatTick, tickStep } from './time-format.ts';

describe('timeline axis and colours', () => {
  it('ticks at 1/2/5 steps with enough decimals to tell neighbours apart', () => {
    expect(tickStep(12, 10)).toBe(2);
    expect(tickStep(0.000369, 10)).toBeCloseTo(5e-5, 12);
    // Neighbouring ticks at a 50 µs step read differently (the "4.882" label after a zoom was the bug to avoid).
    const step = tickStep(0.000369, 10);
    const a = formatTick(6.5445, step);
    const b = formatTick(6.5445 + step, step);
    expect(a).not.toBe(b);
    expect(a).toBe('6.54450 s');
  });
  it('formats durations in the unit that reads best', () => {
    expect(formatDuration(5e-7)).toBe('500 ns');
    expect(formatDuration(7e-6)).toBe('7.00 µs');
    expect(formatDuration(0.0123)).toBe('12.30 ms');
    expect(formatDuration(12.263)).toBe('12.263 s');
  });
  it('gives a task the same colour every time, and different tasks different colours mostly', () => {
    expect(keyColour('sched-messaging 7826')).toBe(keyColour('sched-messaging 7826'));
    const colours = new Set(Array.from({ length: 80 }, (_, k) => keyColour(`sched-messaging ${7800 + k}`)));
    expect(colours.size).toBeGreaterThan(60);
  });
});
