import { chmodSync, chownSync, lchownSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputError, writeFileSafely, writeStreamSafely } from '../src/safe-output.ts';
import { isRoot, readBack, runTlab, tempDir } from './helpers.ts';

const root = new URL('../../', import.meta.url).pathname;
const BUNDLE = join(root, 'public/datasets/sysbench-cpu.tlab');
const CAPTURE = join(root, 'fixtures/strace/strace-f-ttt-T-pipeline-threads.log');
const NOBODY = 65534;
const VICTIM_TEXT = 'root-owned file that must never change\n';

/**
 * The scene of the attack: a victim file outside the output directory, and an output directory that another
 * user owns (as root: really owned by nobody, with links owned by nobody, the way an attacker plants them).
 */
function scene() {
  const base = tempDir('tlab-symlink-');
  const victim = join(base, 'victim.conf');
  writeFileSync(victim, VICTIM_TEXT, { mode: 0o644 });
  const dir = join(base, 'shared');
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  if (isRoot) chownSync(dir, NOBODY, NOBODY);
  const plant = (path: string) => {
    symlinkSync(victim, path);
    if (isRoot) lchownSync(path, NOBODY, NOBODY);
  };
  const victimUnchanged = () => {
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT);
    expect(statSync(victim).mode & 0o777).toBe(0o644);
  };
  return { dir, victim, plant, victimUnchanged };
}

/** Links at `${output}.partial-PID` for the next pids the system will hand out: where the old code wrote. */
function plantPartialLinks(output: string, plant: (path: string) => void): string[] {
  const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  const links: string[] = [];
  for (let pid = last + 1; pid <= last + 400; pid++) {
    links.push(`${output}.partial-${pid}`);
    plant(links.at(-1)!);
  }
  return links;
}

describe(`CLI writes never follow a planted link (running ${isRoot ? 'as root, the links owned by nobody' : 'not as root: the same checks, without other owners'})`, () => {
  for (const [what, args, out] of [
    ['tlab import', (o: string) => ['import', CAPTURE, '-o', o], 'imported.tlab'],
    ['tlab export --perfetto', (o: string) => ['export', '--perfetto', BUNDLE, '-o', o], 'trace.json'],
    ['tlab record', (o: string) => ['record', '--sources', 'proc', '-o', o, '--', 'true'], 'run.tlab'],
  ] as const) {
    it(`${what} refuses an output path that is a symbolic link, saying so, and leaves the target alone`, async () => {
      const s = scene();
      const output = join(s.dir, out);
      s.plant(output);
      const run = await runTlab(args(output));
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain(`${output} is a symbolic link (to ${s.victim}); refusing to write through it`);
      s.victimUnchanged();
      expect(readlinkSync(output)).toBe(s.victim);
    });
  }

  for (const [what, args, out, check] of [
    ['tlab import', (o: string) => ['import', CAPTURE, '-o', o], 'imported.tlab', async (o: string) => expect((await readBack(o)).tables.syscalls!.numRows).toBeGreaterThan(0)],
    ['tlab export --perfetto', (o: string) => ['export', '--perfetto', BUNDLE, '-o', o], 'trace.json', (o: string) => expect(JSON.parse(readFileSync(o, 'utf8')).traceEvents.length).toBeGreaterThan(0)],
  ] as const) {
    it(`${what} with links planted at every ${out}.partial-PID it could use: writes the output, not the victim`, async () => {
      const s = scene();
      const output = join(s.dir, out);
      const links = plantPartialLinks(output, s.plant);
      const run = await runTlab(args(output));
      expect(run.code, run.stderr).toBe(0);
      s.victimUnchanged();
      for (const l of links) expect(readlinkSync(l)).toBe(s.victim);
      const st = lstatSync(output);
      expect(st.isFile()).toBe(true);
      expect(st.uid).toBe(process.getuid!());
      await check(output);
      // Nothing but the output and the planted links is left in the directory.
      expect(readdirSync(s.dir).filter((n) => !lstatSync(join(s.dir, n)).isSymbolicLink())).toEqual([out]);
    });
  }
});

describe('safe-output', () => {
  it('writes a private (0600) file while writing, gives the output the usual mode, and leaves no temporary file', async () => {
    const s = scene();
    const output = join(s.dir, 'out.bin');
    let modeWhileWriting = -1;
    await writeFileSafely(output, new Uint8Array([1, 2, 3]), () => {
      const tmp = readdirSync(s.dir).find((n) => n.startsWith('.out.bin.partial-'))!;
      modeWhileWriting = statSync(join(s.dir, tmp)).mode & 0o777;
    });
    expect(modeWhileWriting).toBe(0o600);
    const mask = process.umask(0o022);
    process.umask(mask);
    expect(statSync(output).mode & 0o777).toBe(0o666 & ~mask);
    expect([...readFileSync(output)]).toEqual([1, 2, 3]);
    expect(readdirSync(s.dir)).toEqual(['out.bin']);
  });

  it('a link planted at the output while the data is written is refused at the rename, and the victim is untouched', async () => {
    const s = scene();
    const output = join(s.dir, 'out.bin');
    writeFileSync(output, 'old');
    await expect(
      writeFileSafely(output, new Uint8Array([1, 2, 3]), () => {
        unlinkSync(output);
        s.plant(output);
      }),
    ).rejects.toThrow(OutputError);
    s.victimUnchanged();
    expect(readdirSync(s.dir)).toEqual(['out.bin']);
    const stream = writeStreamSafely(output, async (write) => {
      await write('{"a":');
      await write('1}');
    });
    await expect(stream).rejects.toThrow(/symbolic link/);
    s.victimUnchanged();
  });

  it('a failed verification keeps the old output and removes the temporary file', async () => {
    const s = scene();
    const output = join(s.dir, 'out.bin');
    writeFileSync(output, 'old');
    await expect(writeFileSafely(output, new Uint8Array([9]), () => Promise.reject(new Error('does not read back')))).rejects.toThrow('does not read back');
    expect(readFileSync(output, 'utf8')).toBe('old');
    expect(readdirSync(s.dir)).toEqual(['out.bin']);
  });

  it('streams to the output', async () => {
    const s = scene();
    const output = join(s.dir, 'out.json');
    await writeStreamSafely(output, async (write) => {
      for (let i = 0; i < 1000; i++) await write(`${i}\n`);
    });
    expect(readFileSync(output, 'utf8').split('\n').length).toBe(1001);
  });
});
