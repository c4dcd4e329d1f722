import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bombsOf } from '../../core/bundle/testing/bombs.ts';
import { TLAB, tempDir } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;
const REPORT_USAGE = fileURLToPath(new URL('./report-usage.mjs', import.meta.url));
// The bar is 2 s and 300 MB. Starting the CLI alone (Node, tsx compiling the sources, tfjs loading) takes 1-8 s
// of wall time on a busy 2-core machine, so the time asserted is what a bomb costs beyond that: CPU seconds over
// a real bundle's (wall time is printed too), with room for CI noise.
const MAX_EXTRA_CPU_SECONDS = 2;
const NOISE_SECONDS = 2;
const MAX_MB = 300;

interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
  cpuSeconds: number;
  peakMb: number;
}

/** `tlab ARGS` as a real process, with its wall time and its own peak RSS (getrusage maxrss, reported on exit). */
function measureTlab(args: string[]): Promise<Measured> {
  const usageFile = join(tempDir('tlab-usage-'), 'usage.json');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', REPORT_USAGE, TLAB, ...args], {
      env: { ...process.env, TLAB_USAGE_FILE: usageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRSS: number; userCPUTime: number; systemCPUTime: number };
      resolve({ code, stdout, stderr, seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakMb: usage.maxRSS / 1024 });
    });
  });
}

describe('tlab inspect against decompression and manifest bombs', () => {
  const dir = tempDir('tlab-bombs-');
  const bombs = bombsOf(new Uint8Array(readFileSync(join(root, 'public/datasets/sysbench-cpu.tlab'))));

  let baseline: Measured | null = null;
  it('baseline: a real bundle, for comparison', async () => {
    const runs = [await measureTlab(['inspect', join(root, 'public/datasets/sysbench-cpu.tlab')]), await measureTlab(['inspect', '--json', join(root, 'public/datasets/sysbench-cpu.tlab')])];
    for (const m of runs) expect(m.code).toBe(0);
    baseline = runs.reduce((a, b) => (a.cpuSeconds <= b.cpuSeconds ? a : b));
    console.log(`baseline sysbench-cpu.tlab: ${baseline.seconds.toFixed(2)} s wall, ${baseline.cpuSeconds.toFixed(2)} s CPU, peak RSS ${baseline.peakMb.toFixed(0)} MB`);
  });

  for (const bomb of bombs) {
    for (const json of [false, true]) {
      it(`${bomb.name}${json ? ' --json' : ''}: ${bomb.claim}; handled within ${MAX_EXTRA_CPU_SECONDS} s and ${MAX_MB} MB, naming the entry and the size`, async () => {
        expect(baseline, 'the baseline test runs first').not.toBeNull();
        const base = baseline!;
        const file = join(dir, bomb.name);
        writeFileSync(file, bomb.bytes);
        const m = await measureTlab(['inspect', ...(json ? ['--json'] : []), file]);
        const said = bomb.expect.kind === 'opens-with-warning' ? m.stdout : m.stderr;
        console.log(
          `${bomb.name}${json ? ' --json' : ''} (${(bomb.bytes.byteLength / 1024).toFixed(0)} KiB): exit ${m.code}, ${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU (+${(m.cpuSeconds - base.cpuSeconds).toFixed(2)} s over the baseline), peak RSS ${m.peakMb.toFixed(0)} MB: ${said.trim().split('\n').find((l) => /warning|tlab:/.test(l)) ?? said.trim().slice(0, 300)}`,
        );
        if (bomb.expect.kind === 'opens-with-warning') {
          expect(m.code, m.stderr).toBe(0);
        } else {
          expect(m.code, m.stdout + m.stderr).toBe(2);
          expect(m.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
        }
        for (const mention of bomb.mentions) expect(said).toContain(mention);
        expect(m.cpuSeconds - base.cpuSeconds).toBeLessThan(MAX_EXTRA_CPU_SECONDS + NOISE_SECONDS);
        expect(m.seconds - base.seconds).toBeLessThan(MAX_EXTRA_CPU_SECONDS + NOISE_SECONDS + 4);
        expect(m.peakMb).toBeLessThan(MAX_MB);
      });
    }
  }
});
