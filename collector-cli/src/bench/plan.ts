import type { BenchInterferenceKind } from '../../../core/bundle/index.ts';
import { Rng } from '../../../core/ml/rng.ts';
import type { ServiceKind } from './protocol.ts';

export type InterferenceKind = Exclude<BenchInterferenceKind, 'none'>;
export const INTERFERENCE_KINDS: readonly InterferenceKind[] = ['cpu', 'io', 'vm'];

/** vPALs co-locates up to θ = 5 workloads; level k runs k stress-ng workers. */
export const DEFAULT_THETA = 5;
/** Per worker, bounded: the io stressor's file and the vm stressor's mapping. */
export const HDD_BYTES = '16M';
export const VM_BYTES = '64M';

/**
 * The stress-ng arguments for `workers` workers of one kind (level k = k workers):
 * - cpu: `--cpu k`, k CPU-bound workers cycling through stress-ng's CPU methods;
 * - io: `--hdd k --hdd-bytes 16M --hdd-opts direct`, k workers writing and reading back a 16 MiB file each with
 *   O_DIRECT (so the device is really used, not the page cache), in the bench's private directory;
 * - vm: `--vm k --vm-bytes 64M`, k workers each writing and checking a 64 MiB anonymous mapping.
 * `timeoutS` bounds their life even if tlab were killed without its cleanup.
 */
export function stressArgs(kind: InterferenceKind, workers: number, tempPath: string, timeoutS: number): string[] {
  const k = String(workers);
  const byKind: Record<InterferenceKind, string[]> = {
    cpu: ['--cpu', k],
    io: ['--hdd', k, '--hdd-bytes', HDD_BYTES, '--hdd-opts', 'direct'],
    vm: ['--vm', k, '--vm-bytes', VM_BYTES],
  };
  return [...byKind[kind], '--temp-path', tempPath, '--timeout', `${Math.ceil(timeoutS)}s`];
}

export interface PlannedConfig {
  readonly id: string;
  readonly service: ServiceKind;
  readonly mix: string;
  readonly kind: BenchInterferenceKind;
  readonly level: number;
  readonly workers: number;
}

/** Configurations that share an interference setting run back to back, with the same stress-ng workers. */
export interface PlannedSetting {
  readonly kind: BenchInterferenceKind;
  readonly level: number;
  readonly configs: readonly PlannedConfig[];
}

export function configId(service: string, mix: string, kind: BenchInterferenceKind, level: number): string {
  return `${service}/${mix}/${kind}-${level}`;
}

/**
 * Every configuration of one service: each request mix under no interference (if level 0 is asked for) and under
 * each kind at each level above 0. `shuffled` orders the interference settings by the seed, so that level is not
 * confounded with time (drift, other jobs on the machine); `ascending` runs none, then each kind from level 1 up.
 */
export function planService(service: ServiceKind, mixes: readonly string[], kinds: readonly InterferenceKind[], levels: readonly number[], order: 'shuffled' | 'ascending', seed: number): PlannedSetting[] {
  const settings: { kind: BenchInterferenceKind; level: number }[] = [];
  if (levels.includes(0)) settings.push({ kind: 'none', level: 0 });
  for (const kind of kinds) for (const level of levels) if (level > 0) settings.push({ kind, level });
  if (order === 'shuffled') new Rng(seed).shuffle(settings);
  return settings.map(({ kind, level }) => ({
    kind,
    level,
    configs: mixes.map((mix) => ({ id: configId(service, mix, kind, level), service, mix, kind, level, workers: kind === 'none' ? 0 : level })),
  }));
}

/** "0..5", "0,1,3" or "2": distinct levels, ascending. Throws a message for the user. */
export function parseLevels(text: string, max = 32): number[] {
  const out = new Set<number>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const range = /^(\d+)\s*\.\.\s*(\d+)$/.exec(part);
    if (range) {
      const a = Number(range[1]);
      const b = Number(range[2]);
      if (a > b) throw new Error(`--levels: ${part} runs backwards`);
      for (let k = a; k <= b; k++) out.add(k);
    } else if (/^\d+$/.test(part)) out.add(Number(part));
    else throw new Error(`--levels: "${part}" is not a level or a range like 0..5`);
  }
  if (out.size === 0) throw new Error('--levels: no level given');
  const levels = [...out].sort((a, b) => a - b);
  if (levels.at(-1)! > max) throw new Error(`--levels: at most ${max} (level k runs k stress-ng workers)`);
  return levels;
}

/** A comma-separated list whose every item is one of `known`; duplicates dropped, order kept. */
export function parseList<T extends string>(text: string, known: readonly T[], flag: string): T[] {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const i of items) if (!(known as readonly string[]).includes(i)) throw new Error(`${flag}: unknown value "${i}" (known: ${known.join(', ')})`);
  return [...new Set(items)] as T[];
}
