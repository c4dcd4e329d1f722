import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, readBundle } from '../../core/bundle/index.ts';
import { runTlab, tempDir } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;

async function mustRead(path: string) {
  const r = await readBundle(new Uint8Array(readFileSync(path)), { keepRaw: true });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.bundle;
}

describe('tlab migrate', () => {
  it('rewrites a 1.0 bundle in the current format with the same rows and raw captures, in place too', async () => {
    const dir = tempDir();
    const input = join(dir, 'old.tlab');
    copyFileSync(join(root, 'fixtures/bundles/format-1.0-sysbench-cpu.tlab'), input);
    const out = join(dir, 'new.tlab');
    const run = await runTlab(['migrate', input, out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`1.0.0 -> ${FORMAT_VERSION}`);
    const [old, now] = [await mustRead(input), await mustRead(out)];
    expect(now.manifest.formatVersion).toBe(FORMAT_VERSION);
    expect(Object.fromEntries(Object.entries(now.tables).map(([n, t]) => [n, t!.numRows]))).toEqual(Object.fromEntries(Object.entries(old.tables).map(([n, t]) => [n, t!.numRows])));
    expect([...now.raw.keys()]).toEqual([...old.raw.keys()]);
    // In place: the input is read whole before the output is renamed over it.
    const again = await runTlab(['migrate', input, input]);
    expect(again.code, again.stderr).toBe(0);
    expect((await mustRead(input)).manifest.formatVersion).toBe(FORMAT_VERSION);
  });

  it('refuses a file that is not a bundle, saying why, and writes nothing', async () => {
    const dir = tempDir();
    const out = join(dir, 'out.tlab');
    const run = await runTlab(['migrate', join(root, 'fixtures/bundles/lfs-pointer.tlab'), out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tlab migrate: .*lfs-pointer\.tlab/);
    expect(() => readFileSync(out)).toThrow();
  });
});
