import { readFileSync, readdirSync } from 'node:fs';

/** Reads a small pseudo-file; null when it is gone (the process exited) or unreadable. */
export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  minflt: number;
  majflt: number;
  utimeTicks: number;
  stimeTicks: number;
  threads: number;
  starttimeTicks: number;
  vsizeBytes: number;
  rssPages: number;
}

/** /proc/PID/stat. The command name may hold spaces and parentheses, so fields are counted from the last ')'. */
export function parseProcStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state) of proc(5); field N is f[N - 3].
  const n = (field: number) => Number(f[field - 3] ?? Number.NaN);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: f[0] ?? '?',
    ppid: n(4),
    pgrp: n(5),
    session: n(6),
    minflt: n(10),
    majflt: n(12),
    utimeTicks: n(14),
    stimeTicks: n(15),
    threads: n(20),
    starttimeTicks: n(22),
    vsizeBytes: n(23),
    rssPages: n(24),
  };
}

export function readProcStat(pid: number): ProcStat | null {
  const t = readText(`/proc/${pid}/stat`);
  return t ? parseProcStat(t) : null;
}

/** "Key:   value" files (/proc/PID/status, /proc/PID/io, /proc/meminfo, /proc/vmstat, cpu.stat) as numbers. */
export function parseKeyValues(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([\w()]+):?\s+(\d+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

export function readKeyValues(path: string): Map<string, number> | null {
  const t = readText(path);
  return t === null ? null : parseKeyValues(t);
}

/** Numeric directory names under /proc: every process on the machine. */
export function listPids(): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) out.push(Number(name));
  }
  return out;
}

export interface SystemCpu {
  userTicks: number;
  systemTicks: number;
  ctxt: number;
}

/** The aggregate "cpu" line of /proc/stat: user+nice count as user time; system+irq+softirq as system time. */
export function readSystemCpu(): SystemCpu | null {
  const t = readText('/proc/stat');
  if (!t) return null;
  const cpu = /^cpu\s+(.*)$/m.exec(t);
  if (!cpu) return null;
  const v = cpu[1]!.trim().split(/\s+/).map(Number);
  const ctxt = /^ctxt\s+(\d+)/m.exec(t);
  return {
    userTicks: (v[0] ?? 0) + (v[1] ?? 0),
    systemTicks: (v[2] ?? 0) + (v[5] ?? 0) + (v[6] ?? 0),
    ctxt: ctxt ? Number(ctxt[1]) : Number.NaN,
  };
}

/** Total threads on the machine: the denominator of /proc/loadavg's "running/total". */
export function readSystemThreads(): number | null {
  const t = readText('/proc/loadavg');
  const m = t ? /\s\d+\/(\d+)\s/.exec(t) : null;
  return m ? Number(m[1]) : null;
}
