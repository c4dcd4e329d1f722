import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { SourceName } from '../../../core/bundle/index.ts';
import { Cgroup } from './cgroup.ts';
import { Cleanup } from './cleanup.ts';
import { clockStart, sinceStart, toTimeOrigin } from './clock.ts';
import { killQuietly, type ChildCpu } from './child-procs.ts';
import { cgroupGroup, scannedGroup, type ProcessGroup } from './group.ts';
import { hostInfo } from './host-info.ts';
import { overheadFigures } from './overhead.ts';
import { buildManifest, writeAndVerify } from './bundle-out.ts';
import type { RecordOptions } from './options.ts';
import { PerfSource, type PerfTarget } from './perf-source.ts';
import { ProcSampler } from './proc-sampler.ts';
import { PsiSampler } from './psi-sampler.ts';
import { SchedSource } from './sched-source.ts';
import { unavailable, type SourceOutcome } from './source.ts';
import { StatusLine } from './status-line.ts';
import { StraceSource } from './strace-source.ts';
import { CommandWorkload, exitStatusFor, isAlive, signalGroup, stoppedMember, type WorkloadExit } from './workload.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A required source could not start: nothing is recorded. */
export class FatalSourceError extends Error {}

/** Records one workload into a bundle. Resolves with the exit status `tlab record` should end with. */
export async function record(opts: RecordOptions): Promise<number> {
  const status = StatusLine.choose(opts);
  const ext = opts.extension ?? null;
  // Before anything is set up, so the unrecorded run competes with nothing of ours (and Ctrl-C just ends it).
  const baseline = opts.baseline && opts.command ? await runBaseline(opts.command, status) : null;
  const cleanup = new Cleanup();
  const cpuAtStart = process.cpuUsage();
  // Set just before the first sample, after the slow setup (tool probes), so ts 0 is close to the workload's start.
  let start = clockStart();
  const now = () => sinceStart(start);
  const tmpDir = mkdtempSync(join(os.tmpdir(), 'tlab-'));
  // Replaced once there is a cgroup we created / a tracefs session, by their asynchronous undo.
  let cgroupCleanup: () => Promise<void> = async () => {};
  let schedCleanup: () => void = () => {};
  cleanup.add('temp dir', () => rmSync(tmpDir, { recursive: true, force: true }));

  // --- Stopping: signals and --duration end the recording early; the bundle is then marked partial. ---
  let stopReason: string | null = null;
  let requestStop: () => void = () => {};
  const stopRequested = new Promise<void>((r) => (requestStop = r));
  let forceKill: () => void = () => {};
  let signalsSeen = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signalsSeen++;
    if (signalsSeen === 1) {
      stopReason ??= `stopped by ${sig}`;
      status.message('warn', `${sig}: stopping the workload and writing what was recorded (again to kill it at once)`);
      requestStop();
    } else if (signalsSeen === 2) {
      forceKill();
    } else {
      // The exit handler still restores tracefs and removes the cgroup.
      process.exit(130);
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  cleanup.add('signal handlers', () => {
    for (const s of signals) process.off(s, onSignal);
  });

  try {
    // --- The group of processes the "group" scope covers. ---
    let cgroup: Cgroup | null = null;
    let group: ProcessGroup;
    let workload: CommandWorkload | null = null;
    const toolPids = new Set<number>();
    if (opts.cgroup !== null) {
      cgroup = Cgroup.attach(opts.cgroup);
      group = cgroupGroup(cgroup, ext?.groupNote);
    } else if (opts.pid !== null) {
      if (!isAlive(opts.pid)) throw new FatalSourceError(`no process ${opts.pid}`);
      const pid = opts.pid;
      group = scannedGroup('pid', () => pid, () => toolPids, ext?.groupNote ?? 'the process and its descendants, found by scanning /proc');
    } else {
      try {
        if (opts.noCgroup) throw new Error('--no-cgroup2 was given');
        cgroup = Cgroup.create();
        const cg = cgroup;
        const removeSync = cleanup.add('cgroup', () => cg.removeSync());
        cgroupCleanup = async () => {
          removeSync.drop();
          await cg.remove();
        };
        group = cgroupGroup(cgroup, 'a cgroup v2 child created for this recording; the command starts inside it');
      } catch (e) {
        const why = (e as Error).message;
        status.message('warn', `no cgroup (${why}); grouping by process group instead`);
        group = scannedGroup('process-group', () => workload?.rootPid ?? null, () => toolPids, `cgroup v2 unavailable (${why}): the command's process group and descendants, found by scanning /proc; processes that leave both are missed`);
      }
    }

    // --- Sources. Each that cannot start becomes "unavailable", unless it was --require'd. ---
    const outcomes: Partial<Record<SourceName, SourceOutcome>> = {};
    const wants = (s: SourceName) => opts.sources.includes(s);
    const cannot = (s: SourceName, reason: string, settings: Record<string, unknown> = {}) => {
      if (opts.require.includes(s)) throw new FatalSourceError(`required source ${s} is unavailable: ${reason}`);
      outcomes[s] = unavailable(reason, settings);
      status.message('warn', `${s} unavailable: ${reason}`, { source: s });
    };
    const keepRaw = opts.keepRaw;
    const intervalMs = Math.round(opts.intervalS * 1000);

    const proc = wants('proc') ? new ProcSampler(group) : null;
    let psi: PsiSampler | null = null;
    if (wants('psi')) {
      psi = new PsiSampler(cgroup ? (r) => cgroup.pressureFile(r) : null);
      const why = psi.unavailableReason();
      if (why) {
        cannot('psi', why);
        psi = null;
      }
    }

    let sched: SchedSource | null = null;
    if (wants('sched')) {
      try {
        const s = SchedSource.create({ tmpDir, keepRaw, reader: opts.schedReader ?? 'raw', ...(opts.schedBufferKb !== undefined ? { bufferKb: opts.schedBufferKb } : {}) });
        const restore = cleanup.add('tracefs', () => s.session.restore());
        sched = s;
        schedCleanup = () => restore.drop();
      } catch (e) {
        cannot('sched', (e as Error).message);
      }
    }

    let perf: PerfSource | null = null;
    if (wants('perf')) {
      try {
        perf = await PerfSource.create(opts.perfEvents, { intervalMs, tmpDir, keepRaw, nowNs: now });
      } catch (e) {
        cannot('perf', (e as Error).message, { requestedEvents: opts.perfEvents });
      }
    }

    let strace: StraceSource | null = null;
    if (wants('strace')) {
      try {
        strace = await StraceSource.create({ keepArgs: opts.syscallArgs, tmpDir, keepRaw });
      } catch (e) {
        cannot('strace', (e as Error).message);
      }
    }

    // --- Start: tracers and counters first, so the workload's first instant is seen. ---
    start = clockStart();
    const cpuAtSourcesStart = process.cpuUsage();
    if (sched) {
      try {
        sched.start(toTimeOrigin(start.monoNs));
        if (sched.fallbackReason) status.message('warn', `sched: ${sched.fallbackReason}`, { source: 'sched' });
      } catch (e) {
        schedCleanup();
        sched = null;
        cannot('sched', (e as Error).message);
      }
    }
    // perf -G is best (it sees every process from its first instant); where it cannot count the cgroup,
    // perf attaches to the processes with -p and follows their children.
    let perfNote: string | undefined;
    let perfTarget: PerfTarget | 'members-after-spawn' | null = null;
    if (perf) {
      const cgWhy = cgroup ? await perf.cgroupWorks(cgroup.relPath) : 'no cgroup';
      if (cgroup && !cgWhy) perfTarget = { kind: 'cgroup', relPath: cgroup.relPath };
      else if (opts.pid !== null) perfTarget = { kind: 'pids', pids: [opts.pid] };
      else if (opts.command) {
        perfTarget = 'members-after-spawn';
        perfNote = `counting with -p on the command's first process, held stopped until perf had opened its counters, so it and every process it forks are counted from the start (-G cannot be used: ${cgWhy})`;
      } else {
        perfTarget = { kind: 'pids', pids: group.pids() };
        perfNote = `counting with -p (the processes present when perf attached, plus children they fork later) because -G cannot be used: ${cgWhy}`;
      }
    }
    if (perf && perfTarget && perfTarget !== 'members-after-spawn') {
      perf.start(perfTarget, perfNote);
      registerChild(cleanup, perf.cpu, toolPids);
    }

    let prevTs = 0;
    const tick = () => {
      const ts = now();
      const interval = ts - prevTs;
      prevTs = ts;
      proc?.sample(ts, interval);
      psi?.sample(ts, interval);
      for (const c of [strace?.cpu, perf?.cpu]) c?.poll();
    };
    tick();

    let running = true;
    let workloadSpawnNs: number | null = null;
    let workloadExitNs: number | null = null;
    let done: Promise<WorkloadExit | null>;
    let command: string[] | null = null;
    if (opts.command) {
      command = opts.command;
      // perf -p must attach before the command forks: the command then starts stopped and perf lets it go.
      workloadSpawnNs = now();
      workload = new CommandWorkload(opts.command, cgroup, strace, toTimeOrigin(start.unixNs), perfTarget === 'members-after-spawn');
      void workload.done.then(() => (workloadExitNs = now()));
      if (strace) registerChild(cleanup, strace.cpu, toolPids);
      done = workload.done;
    } else {
      if (strace) {
        const pids = group.pids();
        strace.start({ kind: 'attach', pids }, toTimeOrigin(start.unixNs));
        registerChild(cleanup, strace.cpu, toolPids);
      }
      done = ext ? ext.run({ originMonoNs: start.monoNs, now, stop: stopRequested }).then(() => null) : watchAttached(opts.pid, cgroup, intervalMs, () => running);
    }
    if (perf && perfTarget === 'members-after-spawn') {
      const held = await stoppedMember(() => group.pids(), 3000);
      const pids = held !== null ? [held] : group.pids();
      if (pids.length) {
        const late = held === null ? ' — but the command was not seen stopped, so processes it forked before perf attached are missed' : '';
        perf.start({ kind: 'pids', pids }, perfNote + late);
        registerChild(cleanup, perf.cpu, toolPids);
        if (held !== null && !(await perf.countersOpen(3000))) status.message('warn', 'perf had not opened its counters after 3 s; letting the workload go on');
      } else {
        outcomes.perf = unavailable('the workload had no process to attach perf to', { note: perfNote });
        perf = null;
      }
      // Whatever happened to perf, the held command must go on.
      if (held !== null) signalGroup([held], 'SIGCONT');
    }
    status.event('started', { output: opts.output, pid: workload?.rootPid ?? opts.pid, cgroup: cgroup?.dir ?? null });

    // --- Run: sample on a fixed grid until the workload ends, a signal arrives or --duration passes. ---
    const loop = (async () => {
      let k = 1;
      while (running) {
        const due = k * intervalMs * 1e6 - now();
        if (due > 0) await sleep(due / 1e6);
        if (!running) break;
        tick();
        k = Math.max(k + 1, Math.ceil(now() / (intervalMs * 1e6)));
        status.update({
          elapsedS: now() / 1e9,
          samples: proc?.samples ?? 0,
          syscalls: strace?.lines ?? 0,
          schedEvents: sched?.lines ?? 0,
          counterLines: perf?.lines ?? 0,
          capturedBytes: (strace?.bytes ?? 0) + (sched?.bytes ?? 0) + (perf?.bytes ?? 0),
          ...(ext ? { detail: ext.progress() } : {}),
        });
      }
    })();
    const durationTimer =
      opts.durationS !== null
        ? setTimeout(() => {
            stopReason ??= opts.command ? `stopped after --duration ${opts.durationS} s` : null;
            requestStop();
          }, opts.durationS * 1000)
        : null;

    const members = () => (cgroup ? cgroup.pids() : group.pids());
    forceKill = () => {
      ext?.kill();
      if (cgroup?.owned) cgroup.killAll();
      else if (opts.command) signalGroup(members(), 'SIGKILL');
    };
    let exit = await Promise.race([done, stopRequested.then(() => 'stop' as const)]);
    if (exit === 'stop') {
      if (opts.command) {
        // Ctrl-C on a terminal has reached the workload already; from elsewhere, pass it on.
        const gone = await Promise.race([done, sleep(300).then(() => null)]);
        if (!gone) signalGroup(members(), 'SIGINT');
        const gone2 = gone ?? (await Promise.race([done, sleep(3000).then(() => null)]));
        if (!gone2) forceKill();
        exit = (await Promise.race([done, sleep(5000).then(() => null)])) ?? null;
      } else {
        // An extension winds down what it started (it was handed the same stop) before the sources stop.
        if (ext) await done;
        exit = null;
      }
    }
    if (durationTimer) clearTimeout(durationTimer);
    running = false;
    await loop;
    tick();
    const endNs = now();
    // Before the sources finish: decoding trace_pipe_raw pages happens after the workload, and is reported apart.
    const cpuWhileRecording = process.cpuUsage(cpuAtSourcesStart);
    status.clear();

    // --- Stop the sources. Leftover processes of the command are killed so that strace -f can finish. ---
    if (cgroup?.owned) cgroup.killAll();
    else if (opts.command && !cgroup) signalGroup(members(), 'SIGKILL');
    await strace?.stop(opts.command ? 3000 : 0);
    await perf?.stop();
    sched?.stop();
    schedCleanup();
    await cgroupCleanup();

    const workloadExit = exit && typeof exit === 'object' ? exit : null;
    const crashed = workloadExit?.signal ? `the workload was killed by ${workloadExit.signal}` : null;
    const partial = stopReason ?? crashed ?? ext?.failure() ?? null;
    if (proc) outcomes.proc = { status: partial ? 'partial' : 'ok', ...(partial ? { reason: partial } : {}), settings: { intervalS: opts.intervalS, ...proc.settings() }, tables: { samples: proc.rows.finish() } };
    if (psi) outcomes.psi = { status: partial ? 'partial' : 'ok', ...(partial ? { reason: partial } : {}), settings: { intervalS: opts.intervalS, files: psi.files() }, tables: { psi: psi.rows.finish() } };
    if (strace) outcomes.strace = strace.finish(partial);
    if (perf) outcomes.perf = perf.finish(partial);
    if (sched) {
      outcomes.sched = sched.finish(partial);
      // Lost or untrustworthy events must not pass unseen in a bundle that otherwise looks fine.
      for (const n of outcomes.sched.notes ?? []) if (/^(EVENTS LOST|NOT TRUSTED)/.test(n)) status.message('warn', `sched: ${n}`, { source: 'sched' });
    }
    const extended = ext?.finish(partial) ?? null;
    if (ext && extended) outcomes[ext.source] = extended.outcome;

    const overhead = overheadFigures({
      cpuAtStart,
      cpuWhileRecording,
      wallNs: endNs,
      straceCpuSeconds: strace?.cpu?.seconds,
      perfCpuSeconds: perf?.cpu?.seconds,
      tracePipeReaderCpuSeconds: sched?.readerCpuSeconds,
      // Only a run that ended by itself is comparable with the unrecorded one.
      workload:
        baseline && workloadSpawnNs !== null && workloadExitNs !== null && !stopReason
          ? { recordedWallSeconds: (workloadExitNs - workloadSpawnNs) / 1e9, baselineWallSeconds: baseline.wallSeconds }
          : undefined,
    });

    const manifest = buildManifest({
      opts,
      host: hostInfo(opts.redactHostname),
      originUnixNs: start.unixNs,
      endNs,
      command,
      exit: opts.command ? workloadExit : null,
      group,
      outcomes,
      overhead,
      ...(ext && extended ? { label: ext.label, description: ext.description, bench: extended.bench } : {}),
      notes: [
        ...(partial ? [`recording is partial: ${partial}`] : []),
        ...(baseline ? [`baseline: the command first ran unrecorded in ${baseline.wallSeconds.toFixed(3)} s (exit ${baseline.exit}); overhead.workloadSlowdown compares the recorded run with it`] : []),
      ],
    });
    const { bytes, rows } = await writeAndVerify(opts.output, manifest, outcomes);
    status.message('info', `wrote ${opts.output} (${bytes} bytes; rows: ${Object.entries(rows).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'})`);
    status.event('done', { output: opts.output, bytes, rows, exit: workloadExit, partial });
    return opts.command ? exitStatusFor(workloadExit) : 0;
  } finally {
    const failures = cleanup.dispose();
    for (const f of failures) status.message('warn', `cleanup: ${f}`);
  }
}

function registerChild(cleanup: Cleanup, cpu: ChildCpu | null | undefined, toolPids: Set<number>): void {
  if (!cpu) return;
  const pid = cpu.child.pid;
  if (pid !== undefined) toolPids.add(pid);
  const h = cleanup.add(cpu.label, () => killQuietly(cpu.child, 'SIGKILL'));
  cpu.child.once('exit', () => h.drop());
}

/** For --pid/--cgroup: resolves when the process exits or the cgroup empties; --duration stops it otherwise. */
async function watchAttached(pid: number | null, cgroup: Cgroup | null, intervalMs: number, running: () => boolean): Promise<null> {
  while (running()) {
    await sleep(Math.min(intervalMs, 200));
    if (pid !== null && !isAlive(pid)) return null;
    if (cgroup && !cgroup.populated()) return null;
  }
  return null;
}

/** The command run once without any recording, timed from spawn to exit. */
async function runBaseline(argv: string[], status: StatusLine): Promise<{ wallSeconds: number; exit: string }> {
  status.message('info', `baseline: running ${argv.join(' ')} once unrecorded`);
  const t0 = process.hrtime.bigint();
  const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit' });
  const exit = await new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(`could not start: ${e.message}`));
    child.once('exit', (code, signal) => resolve(signal ? `killed by ${signal}` : String(code)));
  });
  const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  status.message('info', `baseline: ${wallSeconds.toFixed(3)} s (exit ${exit})`);
  return { wallSeconds, exit };
}
