import { existsSync } from 'node:fs';
import { TableBuilder } from '../../../core/bundle/index.ts';
import { readText } from './proc-files.ts';

interface PsiLine {
  avg10: number;
  total: number;
}
interface PsiReading {
  some: PsiLine | null;
  full: PsiLine | null;
}

export function parsePressure(text: string): PsiReading {
  const line = (kind: string): PsiLine | null => {
    const m = new RegExp(`^${kind}\\s+avg10=([\\d.]+)\\s+avg60=[\\d.]+\\s+avg300=[\\d.]+\\s+total=(\\d+)`, 'm').exec(text);
    return m ? { avg10: Number(m[1]), total: Number(m[2]) } : null;
  };
  return { some: line('some'), full: line('full') };
}

interface Target {
  scope: 'system' | 'cgroup';
  resource: string;
  file: string;
  prev: PsiReading | null;
}

/** The "psi" source: /proc/pressure/* and the cgroup's *.pressure, as totals and per-interval stall fractions. */
export class PsiSampler {
  readonly rows = new TableBuilder('psi');
  private readonly targets: Target[] = [];

  /** @param cgroupPressure maps a resource to the cgroup's pressure file, when there is a cgroup. */
  constructor(cgroupPressure: ((resource: string) => string) | null) {
    for (const resource of ['cpu', 'memory', 'io', 'irq']) {
      const sys = `/proc/pressure/${resource}`;
      if (existsSync(sys)) this.targets.push({ scope: 'system', resource, file: sys, prev: null });
      const cg = cgroupPressure?.(resource);
      if (cg && existsSync(cg)) this.targets.push({ scope: 'cgroup', resource, file: cg, prev: null });
    }
  }

  /** Why nothing can be read, or null when something can. */
  unavailableReason(): string | null {
    if (this.targets.length > 0) return null;
    return existsSync('/proc/pressure') ? '/proc/pressure holds no readable files' : 'the kernel has no PSI (/proc/pressure is missing; CONFIG_PSI or psi=1 boot option)';
  }

  files(): string[] {
    return this.targets.map((t) => t.file);
  }

  sample(tsNs: number, intervalNs: number): void {
    for (const t of this.targets) {
      const text = readText(t.file);
      if (text === null) continue;
      const now = parsePressure(text);
      const prev = t.prev;
      t.prev = now;
      if (!prev) continue;
      // total is in microseconds; intervalNs / 1000 is the interval in microseconds.
      const frac = (a: PsiLine | null, b: PsiLine | null) =>
        a && b && intervalNs > 0 ? Math.min(1, Math.max(0, (a.total - b.total) / (intervalNs / 1000))) : null;
      this.rows.push({
        ts_ns: tsNs,
        interval_ns: intervalNs,
        scope: t.scope,
        resource: t.resource,
        some_fraction: frac(now.some, prev.some),
        full_fraction: frac(now.full, prev.full),
        some_total_us: now.some?.total ?? null,
        full_total_us: now.full?.total ?? null,
        some_avg10: now.some?.avg10 ?? null,
        full_avg10: now.full?.avg10 ?? null,
      });
    }
  }
}
