import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBundle } from '../../core/bundle/index.ts';
import { hasTerminalControls } from '../../core/text/terminal.ts';
import { readBack, runTlab, tempDir } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;

// Clear the screen, set the clipboard (OSC 52), a C1 CSI (U+009B) colouring what follows, a carriage return to
// overwrite the line, DEL.
const HOSTILE = 'evil\x1b[2J\x1b]52;c;ZXZpbA==\x07\u009b31mred\rfake: all good\x7f';

function expectNoControls(text: string) {
  expect(hasTerminalControls(text), JSON.stringify(text.slice(0, 2000))).toBe(false);
}

describe('everything tlab prints has control characters escaped', () => {
  const dir = tempDir('tlab-terminal-');

  it('tlab inspect: a manifest with escape sequences in its label, notes, reasons and names', async () => {
    const good = await readBack(join(root, 'public/datasets/sysbench-cpu.tlab'));
    const m = structuredClone(good.manifest);
    m.workload.label = HOSTILE;
    m.notes = [HOSTILE];
    m.producer.name = HOSTILE;
    m.host.hostname = HOSTILE;
    m.sources.strace = { status: 'partial', reason: HOSTILE, settings: {}, tables: ['syscalls'] };
    const file = join(dir, 'hostile.tlab');
    writeFileSync(file, writeBundle({ manifest: m, tables: good.tables }));

    const text = await runTlab(['inspect', file]);
    expect(text.code, text.stderr).toBe(0);
    expectNoControls(text.stdout + text.stderr);
    expect(text.stdout).toContain('evil\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\u009b31mred\\x0dfake: all good\\u007f');

    const json = await runTlab(['inspect', '--json', file]);
    expect(json.code, json.stderr).toBe(0);
    expectNoControls(json.stdout + json.stderr);
    // Still JSON, and the same strings once parsed: the escapes are JSON's own.
    const parsed = JSON.parse(json.stdout) as { manifest: typeof m };
    expect(parsed.manifest.workload.label).toBe(HOSTILE);
    expect(parsed.manifest.sources.strace).toMatchObject({ reason: HOSTILE });
  });

  it('tlab inspect: an error naming a file whose name and first bytes hold escape sequences', async () => {
    const file = join(dir, `name${HOSTILE.replace(/[\r/]/g, '')}.tlab`);
    writeFileSync(file, `\u009b2J\x1b]0;title\x07 not a bundle`);
    const run = await runTlab(['inspect', file]);
    expect(run.code).toBe(2);
    expectNoControls(run.stdout + run.stderr);
    expect(run.stderr).toContain('\\x1b[2J');
  });

  it('tlab import: bad lines are echoed escaped, and so are file names', async () => {
    const capture = join(dir, 'trace\x1b[2J.log');
    const lines = readFileSync(join(root, 'fixtures/strace/strace-f-ttt-T-pipeline-threads.log'), 'utf8').split('\n').slice(0, 20);
    lines.splice(5, 0, `12345 1700000000.000000 \x1b]52;c;ZXZpbA==\x07\u009b2J ${HOSTILE} garbage(`);
    writeFileSync(capture, lines.join('\n') + '\n');
    const out = join(dir, 'out\x1b[31m.tlab');
    for (const json of [false, true]) {
      const run = await runTlab(['import', capture, '-o', out, ...(json ? ['--json'] : [])]);
      expect(run.code, run.stderr).toBe(0);
      expectNoControls(run.stdout + run.stderr);
      if (json) {
        const report = JSON.parse(run.stdout) as { output: string; files: { problems: { text: string }[] }[] };
        expect(report.output).toBe(out);
        expect(report.files[0]!.problems.some((p) => p.text.includes('\x1b]52;c;'))).toBe(true);
      } else {
        expect(run.stdout).toContain('\\x1b]52;c;ZXZpbA==\\x07\\u009b2J');
        expect(run.stdout).toContain('out\\x1b[31m.tlab');
      }
    }
  });
});
