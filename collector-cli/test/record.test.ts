import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberColumn, stringColumn } from '../../core/bundle/index.ts';
import { cgroup2Mount, countBy, isRoot, pathWithout, processesMatching, readBack, runTlab, tempDir, tracefsRoot } from './helpers.ts';

// These tests run the real tools on real workloads: no mocks. They need root (cgroups, tracefs, perf);
// CI runs them as root.
if (!isRoot) console.warn('collector-cli/test/record.test.ts: not root, so the recording tests are SKIPPED (run as root, as CI does)');

const GZIP3 = "for i in 1 2 3; do gzip -c /usr/bin/perf > /dev/null & done; wait";

/** `strace -c -f` of the same command: calls per syscall name, the truth the bundle is checked against. */
function straceCounts(cmd: string[]): Map<string, number> {
  const dir = tempDir();
  const out = join(dir, 'summary.txt');
  execFileSync('strace', ['-c', '-f', '-o', out, '--', ...cmd], { stdio: 'ignore' });
  const counts = new Map<string, number>();
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (m && m[2] !== 'total') counts.set(m[2]!, Number(m[1]));
  }
  return counts;
}

describe.sequential('tlab record', { timeout: 120_000 }, () => {
  it.skipIf(!isRoot)('records a multi-process workload with every source, and the bundle agrees with the tools', async () => {
    const dir = tempDir();
    const out = join(dir, 'gzip.tlab');
    const cmd = ['sh', '-c', GZIP3];
    const run = await runTlab(['record', '--interval', '0.2', '--keep-raw', '--syscall-args', '--quiet', '-o', out, '--', ...cmd]);
    expect(run.stderr).not.toMatch(/failed/);
    expect(run.code).toBe(0);
    const b = await readBack(out);
    const m = b.manifest;
    for (const s of ['proc', 'psi', 'strace', 'perf', 'sched'] as const) expect(m.sources[s]?.status, `${s}: ${JSON.stringify(m.sources[s])}`).toBe('ok');
    expect(m.workload.exit).toEqual({ code: 0, signal: null });
    expect(m.workload.command).toEqual(cmd);
    expect(m.clock.domain).toBe('monotonic');
    expect(m.producer.name).toBe('tlab');
    expect(m.overhead?.collectorCpuSeconds).toBeGreaterThan(0);
    if (cgroup2Mount()) expect(m.workload.group.kind).toBe('cgroup');

    // syscalls: present, the command's execs are there, and per-name counts match strace -c of the same command.
    const sys = b.tables.syscalls!;
    expect(sys.numRows).toBeGreaterThan(100);
    const names = stringColumn(sys, 'name');
    const args = stringColumn(sys, 'args');
    const execs = names.map((n, i) => (n === 'execve' ? (args[i] ?? '') : null)).filter((a): a is string => a !== null);
    expect(execs.filter((a) => a.includes('gzip')).length).toBeGreaterThanOrEqual(3);
    const got = countBy(names);
    const truth = straceCounts(cmd);
    for (const name of ['read', 'write', 'openat', 'wait4']) {
      const want = truth.get(name) ?? 0;
      const have = got.get(name) ?? 0;
      // The cgroup wrapper adds a few calls of its own (one write, a wait4 or two at most).
      expect(Math.abs(have - want), `${name}: bundle ${have}, strace -c ${want}`).toBeLessThanOrEqual(Math.max(5, want * 0.02));
    }
    const ts = numberColumn(sys, 'ts_ns');
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ts)).toBeLessThanOrEqual(m.workload.endNs + 1e8);

    // sched, read from trace_pipe_raw: every event the kernel handed out (its per-CPU "read events") is a row,
    // and --keep-raw kept the pages to decode again (record-sched-raw.test.ts does).
    const sst = m.sources.sched!.settings as { reader: string; kernelReadEventsPerCpu: number[]; eventCounts: Record<string, number> };
    expect(sst.reader).toBe('trace_pipe_raw');
    const events = countBy(stringColumn(b.tables.sched!, 'event'));
    expect(events.get('sched_switch')).toBeGreaterThan(0);
    expect(b.tables.sched!.numRows).toBe(sst.kernelReadEventsPerCpu.reduce((a, n) => a + n, 0));
    expect(events.get('sched_switch')).toBe(sst.eventCounts.sched_switch);
    expect(b.raw.has('raw/ftrace-raw/capture.json')).toBe(true);
    expect(events.get('sched_process_exec') ?? 0).toBeGreaterThanOrEqual(3);

    // proc: group, process and system scopes; the workload's gzips are among the processes.
    const scopes = countBy(stringColumn(b.tables.samples!, 'scope'));
    expect(scopes.get('group')).toBeGreaterThan(0);
    expect(scopes.get('system')).toBeGreaterThan(0);
    expect(stringColumn(b.tables.samples!, 'comm')).toContain('gzip');
    expect(countBy(stringColumn(b.tables.psi!, 'scope')).get('system')).toBeGreaterThan(0);
    expect(b.tables.counters!.numRows).toBeGreaterThan(0);
    expect(countBy(stringColumn(b.tables.counters!, 'event')).has('task-clock')).toBe(true);
  });

  it.skipIf(!isRoot)('measures the group CPU time that /usr/bin/time reports for the same processes', async () => {
    const dir = tempDir();
    const out = join(dir, 'cpu.tlab');
    const timeFile = join(dir, 'time.txt');
    const run = await runTlab(['record', '--interval', '0.1', '--sources', 'proc', '--quiet', '-o', out, '--', '/usr/bin/time', '-f', '%U %S', '-o', timeFile, 'sh', '-c', GZIP3]);
    expect(run.code).toBe(0);
    const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    const truth = user! + system!;
    const b = await readBack(out);
    const samples = b.tables.samples!;
    const scope = stringColumn(samples, 'scope');
    const cu = numberColumn(samples, 'cpu_user_s');
    const cs = numberColumn(samples, 'cpu_system_s');
    let group = 0;
    for (let i = 0; i < scope.length; i++) if (scope[i] === 'group') group += cu[i]! + cs[i]!;
    expect(truth).toBeGreaterThan(0.1);
    expect(Math.abs(group - truth), `group ${group.toFixed(3)} s, /usr/bin/time ${truth.toFixed(3)} s`).toBeLessThanOrEqual(0.15 * truth + 0.05);
  });

  for (const grouping of [[], ['--no-cgroup2']]) {
    it.skipIf(!isRoot)(`perf counts the whole command from its first instant ${grouping.length ? 'without a cgroup (perf -p on the held command)' : 'in its cgroup'}: task-clock matches /usr/bin/time`, async () => {
      const dir = tempDir();
      const out = join(dir, 'perf.tlab');
      const timeFile = join(dir, 'time.txt');
      const run = await runTlab(['record', ...grouping, '--interval', '0.2', '--sources', 'perf', '--quiet', '-o', out, '--', '/usr/bin/time', '-f', '%U %S', '-o', timeFile, 'sh', '-c', GZIP3]);
      expect(run.code, run.stderr).toBe(0);
      const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      const truth = user! + system!;
      const b = await readBack(out);
      const perf = b.manifest.sources.perf!;
      expect(perf.status).toBe('ok');
      const event = stringColumn(b.tables.counters!, 'event');
      const value = numberColumn(b.tables.counters!, 'value');
      let taskClockS = 0;
      // An interval in which the cgroup never ran reads "<not counted>" (null): nothing to add.
      for (let i = 0; i < event.length; i++) if (event[i] === 'task-clock' && !Number.isNaN(value[i]!)) taskClockS += value[i]! / 1000;
      expect(truth).toBeGreaterThan(0.1);
      // /usr/bin/time's own children (sh, the gzips) are the workload; perf counts them and time itself.
      expect(Math.abs(taskClockS - truth), `perf task-clock ${taskClockS.toFixed(3)} s, /usr/bin/time ${truth.toFixed(3)} s`).toBeLessThanOrEqual(0.15 * truth + 0.05);
    });
  }

  it.skipIf(!isRoot)('--baseline runs the command unrecorded first and writes the slowdown strace causes', async () => {
    const dir = tempDir();
    const out = join(dir, 'baseline.tlab');
    // 2 syscalls per byte: strace stops the process twice for each.
    const run = await runTlab(['record', '--baseline', '--interval', '0.2', '--sources', 'proc,strace', '--quiet', '-o', out, '--', 'dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=20000', 'status=none']);
    expect(run.code, run.stderr).toBe(0);
    const m = (await readBack(out)).manifest;
    const o = m.overhead!;
    expect(o.baselineWallSeconds).toBeGreaterThan(0);
    // The three are stored rounded to 1e-6 s, so the ratio agrees to about 1e-4.
    expect(Math.abs(o.workloadSlowdown! / (o.workloadWallSeconds! / o.baselineWallSeconds!) - 1)).toBeLessThan(1e-4);
    expect(o.workloadSlowdown, JSON.stringify(o)).toBeGreaterThan(1.5);
    expect(m.notes?.join(' ')).toMatch(/baseline: the command first ran unrecorded/);
    const refused = await runTlab(['record', '--baseline', '--pid', String(process.pid), '--duration', '1', '-o', join(dir, 'x.tlab')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--baseline needs a command/);
  });

  it.skipIf(!isRoot)('SIGINT during a long workload writes a partial bundle and leaves nothing behind', async () => {
    const dir = tempDir();
    const tmp = tempDir('tlab-tmpdir-');
    const out = join(dir, 'sleep.tlab');
    const tracefs = tracefsRoot();
    const switchEnableBefore = tracefs ? readFileSync(join(tracefs, 'events/sched/sched_switch/enable'), 'utf8') : null;
    let tlabPid = 0;
    let sent = false;
    const run = await runTlab(['record', '--interval', '0.2', '--json', '-o', out, '--', 'sleep', '30'], {
      env: { ...process.env, TMPDIR: tmp },
      onStderr: (text, pid) => {
        tlabPid = pid;
        // Interrupt once it is really running: after the first progress line.
        if (!sent && text.includes('"type":"progress"')) {
          sent = true;
          setTimeout(() => process.kill(pid, 'SIGINT'), 300);
        }
      },
    });
    expect(sent).toBe(true);
    // sleep died of SIGINT: 128 + 2.
    expect(run.code).toBe(130);
    const b = await readBack(out);
    const m = b.manifest;
    // The interrupt ended the 30 s workload early (the recorded span, not wall time: start-up on a busy machine varies).
    expect((m.workload.endNs - m.workload.startNs) / 1e9).toBeLessThan(20);
    expect(m.workload.exit).toEqual({ code: null, signal: 'SIGINT' });
    for (const s of ['proc', 'psi', 'strace', 'perf', 'sched'] as const) {
      const src = m.sources[s]!;
      expect(src.status, s).toBe('partial');
      if (src.status === 'partial') expect(src.reason).toMatch(/SIGINT/);
    }
    expect(m.tables.samples?.rows).toBeGreaterThan(0);
    expect(m.tables.syscalls?.rows).toBeGreaterThan(0);

    // Nothing left: no cgroup, no tracing instance or enabled event, no strace/perf, no temp files.
    const cg = cgroup2Mount();
    if (cg) expect(readdirSync(cg).filter((n) => n.startsWith(`tlab-${tlabPid}-`))).toEqual([]);
    if (tracefs) {
      expect(existsSync(join(tracefs, `instances/tlab-${tlabPid}`))).toBe(false);
      expect(readFileSync(join(tracefs, 'events/sched/sched_switch/enable'), 'utf8')).toBe(switchEnableBefore);
    }
    expect(processesMatching(tmp)).toEqual([]);
    // tsx keeps its compile cache in TMPDIR (tsx-UID); that is the loader's, not the recording's.
    expect(readdirSync(tmp).filter((n) => !n.startsWith('tsx-'))).toEqual([]);
  });

  it.skipIf(!isRoot)('reports a source that cannot run as unavailable, with the reason', async () => {
    const dir = tempDir();
    const out = join(dir, 'unavailable.tlab');
    const run = await runTlab(['record', '--sources', 'proc,perf,strace', '--perf-events', 'nonsense:event', '--quiet', '-o', out, '--', 'true'], {
      env: { ...process.env, PATH: pathWithout(['strace']) },
    });
    expect(run.code).toBe(0);
    const m = (await readBack(out)).manifest;
    expect(m.sources.proc?.status).toBe('ok');
    const perf = m.sources.perf!;
    expect(perf.status).toBe('unavailable');
    if (perf.status === 'unavailable') expect(perf.reason).toMatch(/nonsense:event/);
    const strace = m.sources.strace!;
    expect(strace.status).toBe('unavailable');
    if (strace.status === 'unavailable') expect(strace.reason).toMatch(/strace is not installed/);
    expect(m.sources.sched).toBeUndefined();
    expect(m.tables.syscalls).toBeUndefined();
  });

  it.skipIf(!isRoot)('makes a missing --require source fatal, before the command runs', async () => {
    const dir = tempDir();
    const out = join(dir, 'required.tlab');
    const marker = join(dir, 'ran');
    const run = await runTlab(['record', '--sources', 'proc,strace', '--require', 'strace', '--quiet', '-o', out, '--', 'touch', marker], {
      env: { ...process.env, PATH: pathWithout(['strace']) },
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/required source strace is unavailable/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it.skipIf(!isRoot)('exits with the workload exit code and records it', async () => {
    const dir = tempDir();
    const out = join(dir, 'exit.tlab');
    const run = await runTlab(['record', '--sources', 'proc,psi', '--quiet', '-o', out, '--', 'sh', '-c', 'exit 7']);
    expect(run.code).toBe(7);
    expect((await readBack(out)).manifest.workload.exit).toEqual({ code: 7, signal: null });
  });

  it.skipIf(!isRoot)('without a cgroup, groups the command by process group and says so', async () => {
    const dir = tempDir();
    const out = join(dir, 'pgrp.tlab');
    const run = await runTlab(['record', '--no-cgroup2', '--interval', '0.1', '--sources', 'proc,psi,strace,perf', '--quiet', '-o', out, '--', 'sh', '-c', GZIP3]);
    expect(run.code).toBe(0);
    const b = await readBack(out);
    const g = b.manifest.workload.group;
    expect(g.kind).toBe('process-group');
    expect(g.note).toMatch(/cgroup/);
    expect(stringColumn(b.tables.samples!, 'comm')).toContain('gzip');
    // strace is not part of the group it traces.
    expect(stringColumn(b.tables.samples!, 'comm')).not.toContain('strace');
    expect(b.manifest.sources.perf?.status).toBe('ok');
    expect(b.tables.counters!.numRows).toBeGreaterThan(0);
  });

  it.skipIf(!isRoot)('attaches to a running process with --pid for --duration', async () => {
    const dir = tempDir();
    const out = join(dir, 'attach.tlab');
    const { spawn } = await import('node:child_process');
    const busy = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    try {
      const run = await runTlab(['record', '--pid', String(busy.pid), '--duration', '1', '--interval', '0.2', '--sources', 'proc,psi,strace,perf', '--quiet', '-o', out]);
      expect(run.code).toBe(0);
      const b = await readBack(out);
      expect(b.manifest.workload.group.kind).toBe('pid');
      expect(b.manifest.workload.command).toBeNull();
      const samples = b.tables.samples!;
      const scope = stringColumn(samples, 'scope');
      const cu = numberColumn(samples, 'cpu_user_s');
      let user = 0;
      for (let i = 0; i < scope.length; i++) if (scope[i] === 'group') user += cu[i]!;
      // A busy loop for about a second of recording (on a busy machine it gets less than a whole CPU).
      expect(user).toBeGreaterThan(0.05);
      expect(numberColumn(samples, 'pid')).toContain(busy.pid);
      // strace and perf detached: the process runs on.
      expect(busy.exitCode).toBeNull();
      expect(busy.signalCode).toBeNull();
    } finally {
      busy.kill('SIGKILL');
    }
  });
});
