import { TableBuilder, type Row } from '../../../core/bundle/index.ts';
import type { ProcessGroup } from './group.ts';
import { readKeyValues, readProcStat, readSystemCpu, readSystemThreads, type SystemCpu } from './proc-files.ts';
import { clockTicks, pageSize } from './sysconf.ts';

interface ProcCounters {
  utime: number;
  stime: number;
  minflt: number;
  majflt: number;
  readBytes: number;
  writeBytes: number;
  vcsw: number;
  nvcsw: number;
}

const ZERO: ProcCounters = { utime: 0, stime: 0, minflt: 0, majflt: 0, readBytes: 0, writeBytes: 0, vcsw: 0, nvcsw: 0 };

interface SystemCounters {
  cpu: SystemCpu | null;
  pgfault: number;
  pgmajfault: number;
  pgpgin: number;
  pgpgout: number;
}

const d = (now: number, prev: number) => (Number.isFinite(now) && Number.isFinite(prev) ? Math.max(0, now - prev) : null);

/**
 * The "proc" source: every interval, one row per process in the group, one for the group and one for the
 * system. Counters are deltas against the previous sample; a process first seen after the first sample
 * started during the recording, so its counters count from zero.
 */
export class ProcSampler {
  readonly rows = new TableBuilder('samples');
  private prev = new Map<string, ProcCounters>();
  private prevSystem: SystemCounters | null = null;
  private prevCgroupCpu: { user: number; system: number } | null = null;
  private prevCgroupIo: { r: number; w: number } | null = null;
  private samplesTaken = 0;
  private readonly hz = clockTicks();
  private readonly page = pageSize();
  /** Processes that ran at some point during the recording. */
  readonly seenPids = new Set<number>();

  // Which cgroup files exist is decided now: at the end the cgroup is gone.
  private readonly sourcesOfGroup: Record<string, string>;

  constructor(private readonly group: ProcessGroup) {
    const cg = group.cgroup;
    this.sourcesOfGroup = {
      groupCpu: cg?.cpu() ? 'cgroup cpu.stat' : 'sum over processes',
      groupRss: cg?.memoryCurrent() != null ? 'cgroup memory.current' : 'sum over processes',
      groupIo: cg?.io() ? 'cgroup io.stat' : 'sum over processes',
    };
  }

  get samples(): number {
    return this.samplesTaken;
  }

  /** The first call only takes the baseline; every later call writes rows for the interval that ends now. */
  sample(tsNs: number, intervalNs: number): void {
    const first = this.samplesTaken++ === 0;
    this.sampleSystem(tsNs, intervalNs, first);
    this.sampleGroup(tsNs, intervalNs, first);
  }

  private sampleGroup(tsNs: number, intervalNs: number, first: boolean): void {
    const next = new Map<string, ProcCounters>();
    const sum = { utime: 0, stime: 0, minflt: 0, majflt: 0, readBytes: 0, writeBytes: 0, vcsw: 0, nvcsw: 0, rss: 0, vm: 0, threads: 0 };
    for (const pid of this.group.pids()) {
      const st = readProcStat(pid);
      if (!st) continue;
      const status = readKeyValues(`/proc/${pid}/status`);
      const io = readKeyValues(`/proc/${pid}/io`);
      const now: ProcCounters = {
        utime: st.utimeTicks,
        stime: st.stimeTicks,
        minflt: st.minflt,
        majflt: st.majflt,
        readBytes: io?.get('read_bytes') ?? Number.NaN,
        writeBytes: io?.get('write_bytes') ?? Number.NaN,
        vcsw: status?.get('voluntary_ctxt_switches') ?? Number.NaN,
        nvcsw: status?.get('nonvoluntary_ctxt_switches') ?? Number.NaN,
      };
      // The start time tells a reused pid from the process that had it before.
      const key = `${pid}:${st.starttimeTicks}`;
      next.set(key, now);
      this.seenPids.add(pid);
      if (first) continue;
      const before = this.prev.get(key) ?? ZERO;
      const row = {
        ts_ns: tsNs,
        interval_ns: intervalNs,
        scope: 'process',
        pid,
        ppid: st.ppid,
        comm: st.comm,
        cpu_user_s: (d(now.utime, before.utime) ?? 0) / this.hz,
        cpu_system_s: (d(now.stime, before.stime) ?? 0) / this.hz,
        rss_bytes: st.rssPages * this.page,
        vm_bytes: st.vsizeBytes,
        read_bytes: d(now.readBytes, before.readBytes),
        write_bytes: d(now.writeBytes, before.writeBytes),
        minor_faults: d(now.minflt, before.minflt),
        major_faults: d(now.majflt, before.majflt),
        voluntary_ctxsw: d(now.vcsw, before.vcsw),
        involuntary_ctxsw: d(now.nvcsw, before.nvcsw),
        threads: st.threads,
      } satisfies Row;
      this.rows.push(row);
      sum.utime += row.cpu_user_s;
      sum.stime += row.cpu_system_s;
      sum.minflt += row.minor_faults ?? 0;
      sum.majflt += row.major_faults ?? 0;
      sum.readBytes += row.read_bytes ?? 0;
      sum.writeBytes += row.write_bytes ?? 0;
      sum.vcsw += row.voluntary_ctxsw ?? 0;
      sum.nvcsw += row.involuntary_ctxsw ?? 0;
      sum.rss += row.rss_bytes;
      sum.vm += row.vm_bytes;
      sum.threads += row.threads;
    }
    this.prev = next;

    // The cgroup's own counters include processes that exited within the interval; sums over /proc miss those.
    const cg = this.group.cgroup;
    const cpu = cg?.cpu() ?? null;
    const io = cg?.io() ?? null;
    const mem = cg?.memoryCurrent() ?? null;
    const prevCpu = this.prevCgroupCpu;
    const prevIo = this.prevCgroupIo;
    this.prevCgroupCpu = cpu ? { user: cpu.userUsec, system: cpu.systemUsec } : null;
    this.prevCgroupIo = io ? { r: io.rbytes, w: io.wbytes } : null;
    if (first) return;
    this.rows.push({
      ts_ns: tsNs,
      interval_ns: intervalNs,
      scope: 'group',
      cpu_user_s: cpu && prevCpu ? (d(cpu.userUsec, prevCpu.user) ?? 0) / 1e6 : sum.utime,
      cpu_system_s: cpu && prevCpu ? (d(cpu.systemUsec, prevCpu.system) ?? 0) / 1e6 : sum.stime,
      rss_bytes: mem ?? sum.rss,
      vm_bytes: sum.vm,
      read_bytes: io && prevIo ? d(io.rbytes, prevIo.r) : sum.readBytes,
      write_bytes: io && prevIo ? d(io.wbytes, prevIo.w) : sum.writeBytes,
      minor_faults: sum.minflt,
      major_faults: sum.majflt,
      voluntary_ctxsw: sum.vcsw,
      involuntary_ctxsw: sum.nvcsw,
      threads: sum.threads,
    });
  }

  private sampleSystem(tsNs: number, intervalNs: number, first: boolean): void {
    const vm = readKeyValues('/proc/vmstat');
    const now: SystemCounters = {
      cpu: readSystemCpu(),
      pgfault: vm?.get('pgfault') ?? Number.NaN,
      pgmajfault: vm?.get('pgmajfault') ?? Number.NaN,
      pgpgin: vm?.get('pgpgin') ?? Number.NaN,
      pgpgout: vm?.get('pgpgout') ?? Number.NaN,
    };
    const prev = this.prevSystem;
    this.prevSystem = now;
    if (first || !prev) return;
    const mem = readKeyValues('/proc/meminfo');
    const kib = (k: string) => {
      const v = mem?.get(k);
      return v === undefined ? null : v * 1024;
    };
    const total = kib('MemTotal');
    const avail = kib('MemAvailable');
    const faults = d(now.pgfault, prev.pgfault);
    const majors = d(now.pgmajfault, prev.pgmajfault);
    const pgin = d(now.pgpgin, prev.pgpgin);
    const pgout = d(now.pgpgout, prev.pgpgout);
    this.rows.push({
      ts_ns: tsNs,
      interval_ns: intervalNs,
      scope: 'system',
      cpu_user_s: now.cpu && prev.cpu ? (d(now.cpu.userTicks, prev.cpu.userTicks) ?? 0) / this.hz : null,
      cpu_system_s: now.cpu && prev.cpu ? (d(now.cpu.systemTicks, prev.cpu.systemTicks) ?? 0) / this.hz : null,
      // "Used" memory as free(1) computes it; the machine has no single RSS.
      rss_bytes: total !== null && avail !== null ? total - avail : null,
      vm_bytes: kib('Committed_AS'),
      // pgpgin/pgpgout count KiB paged in from and out to block devices.
      read_bytes: pgin === null ? null : pgin * 1024,
      write_bytes: pgout === null ? null : pgout * 1024,
      minor_faults: faults !== null && majors !== null ? faults - majors : null,
      major_faults: majors,
      // /proc/stat's ctxt does not tell voluntary from involuntary switches, so both stay null.
      voluntary_ctxsw: null,
      involuntary_ctxsw: null,
      threads: readSystemThreads(),
    });
  }

  settings(): Record<string, unknown> {
    return {
      scopes: ['process', 'group', 'system'],
      clockTicksPerSecond: this.hz,
      pageSize: this.page,
      files: ['/proc/PID/stat', '/proc/PID/status', '/proc/PID/io', '/proc/stat', '/proc/meminfo', '/proc/vmstat', '/proc/loadavg'],
      ...this.sourcesOfGroup,
      systemMemory: 'rss_bytes = MemTotal - MemAvailable, vm_bytes = Committed_AS',
      systemIo: '/proc/vmstat pgpgin/pgpgout',
    };
  }
}
