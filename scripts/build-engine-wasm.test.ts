import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without types
import { generate } from './build-engine-wasm.mjs';

describe('the engine\'s checked-in WASM kernels', () => {
  it('are what the AssemblyScript source compiles to now', () => {
    const checkedIn = readFileSync(new URL('../core/engine/wasm/kernels-wasm-bytes.ts', import.meta.url), 'utf8');
    expect(checkedIn, 'stale: run node scripts/build-engine-wasm.mjs').toBe(generate());
  }, 60_000);
});
