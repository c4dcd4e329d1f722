import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../importers/errors.ts';
import { openSource } from '../importers/open-source.ts';

const lisa = new Uint8Array(readFileSync(fileURLToPath(new URL('../../fixtures/trace-dat/lisa-sched-load.dat', import.meta.url))));

/** Every outcome is a bundle or a typed refusal; nothing else may escape openSource. */
async function outcome(name: string, bytes: Uint8Array): Promise<'ok' | string> {
  const r = await openSource(name, bytes);
  if (r.ok) return 'ok';
  if (r.error.from !== 'import') throw new Error(`${name}: refused as a bundle: ${JSON.stringify(r.error.error)}`);
  expect(r.error.error).toBeInstanceOf(ImportError);
  return r.error.error.message;
}

describe('damaged copies of a real trace.dat (LISA sched_load, v6)', () => {
  it('cut at 40 places from the header to the last page: refused, saying at which byte and why', async () => {
    for (let k = 1; k <= 40; k++) {
      const at = Math.floor((lisa.byteLength * k) / 41);
      const m = await outcome(`cut-${at}.dat`, lisa.subarray(0, at));
      expect(m, `cut at ${at}`).toMatch(new RegExp(`^cut-${at}\\.dat is a trace-cmd recording \\(trace\\.dat\\) that Telemetry Lab cannot read \\(at byte \\d+\\): .*(cut short|are left|run past the end)`));
    }
  });

  it('a version this reader does not know is named', async () => {
    const copy = lisa.slice();
    copy[10] = '9'.charCodeAt(0);
    expect(await outcome('v9.dat', copy)).toMatch(/file version "9": Telemetry Lab reads versions 6 and 7/);
  });

  it('bytes overwritten inside the ring-buffer pages give notes of damage, or a refusal, never a crash', async () => {
    // The pages are the file's last 200 KiB (6 CPUs' data after the kallsyms); overwrite 64 bytes at 30 places.
    let damaged = 0;
    for (let k = 0; k < 30; k++) {
      const copy = lisa.slice();
      const at = copy.byteLength - 200 * 1024 + k * 6827;
      copy.fill(0xff, at, at + 64);
      const r = await openSource(`flip-${at}.dat`, copy);
      if (!r.ok) {
        expect(r.error.error).toBeInstanceOf(ImportError);
        continue;
      }
      if (r.imported!.notes.some((n) => n.startsWith('Damaged data:'))) damaged++;
    }
    expect(damaged).toBeGreaterThan(0);
  });
});
