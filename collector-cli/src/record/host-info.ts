import os from 'node:os';
import { readKeyValues } from './proc-files.ts';

export interface HostInfo {
  hostname: string | null;
  kernel: string;
  arch: string;
  cpuCount: number;
  memoryBytes: number;
}

export function hostInfo(redactHostname: boolean): HostInfo {
  const memKib = readKeyValues('/proc/meminfo')?.get('MemTotal');
  return {
    hostname: redactHostname ? null : os.hostname(),
    kernel: os.release(),
    arch: os.machine(),
    cpuCount: Math.max(1, os.availableParallelism()),
    memoryBytes: memKib !== undefined ? memKib * 1024 : os.totalmem(),
  };
}
