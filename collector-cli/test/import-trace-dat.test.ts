import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundle } from '../../core/bundle/index.ts';
import { runTlab, tempDir } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('tlab import of a trace-cmd trace.dat', () => {
  it('imports the LISA sched_load file (v6) into a bundle with its 427 sched rows, counting records, not lines', async () => {
    const out = join(tempDir(), 'lisa.tlab');
    const run = await runTlab(['import', join(root, 'fixtures/trace-dat/lisa-sched-load.dat'), '-o', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^lisa-sched-load\.dat: trace-dat, 3,724 records -> 427 rows$/m);
    expect(run.stdout).toMatch(/note: Other events skipped: cpu_idle ×474, sched_load_se ×364, sched_load_cfs_rq ×2437, cpu_frequency ×16, print ×6\./);
    const r = await readBundle(new Uint8Array(readFileSync(out)));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.bundle.tables.sched!.numRows).toBe(427);
    expect(r.bundle.manifest.sources.sched!.settings).toMatchObject({ format: 'trace-cmd-dat', fileVersion: 6, compression: null, lostEvents: 0 });
  });

  it('lists trace-dat in import --help, and refuses a cut trace.dat with its byte offset and a non-zero exit', async () => {
    const help = await runTlab(['import', '--help']);
    expect(help.stdout).toMatch(/^ {2}trace-dat +trace-cmd's binary trace\.dat/m);
    const cut = await runTlab(['import', join(root, 'fixtures/refusals/trace-cmd-extract-first4k.dat'), '-o', join(tempDir(), 'cut.tlab')]);
    expect(cut.code).not.toBe(0);
    expect(cut.stderr).toMatch(/trace-cmd-extract-first4k\.dat is a trace-cmd recording \(trace\.dat\) that Telemetry Lab cannot read \(at byte \d+\)/);
  });
});
