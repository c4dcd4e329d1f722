import { execFileSync } from 'node:child_process';

function getconf(name: string, fallback: number): number {
  try {
    const v = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

let ticks: number | null = null;
let page: number | null = null;

/** USER_HZ: /proc reports CPU times in these ticks. Asked once; 100 on every mainstream kernel. */
export function clockTicks(): number {
  return (ticks ??= getconf('CLK_TCK', 100));
}

export function pageSize(): number {
  return (page ??= getconf('PAGESIZE', 4096));
}
