import type { Rng } from '../ml/rng.ts';

export interface RowSplit {
  readonly train: number[];
  readonly test: number[];
  /** The configurations held out whole (split by configuration), else empty. */
  readonly testConfigurations: string[];
}

/**
 * Train/test rows. By `row`: a seeded shuffle, the last `test` share held out (vPALs' 80/20). By `configuration`:
 * whole configurations held out (a seeded shuffle of their ids, taken until the share is reached), so no test row
 * has a near copy from the same run in training. Rows keep their original order inside each set.
 */
export function splitRows(rows: readonly number[], how: { readonly by: 'row' | 'configuration'; readonly test: number }, configOf: (row: number) => string, rng: Rng): RowSplit {
  if (how.by === 'row') {
    const shuffled = rng.shuffle([...rows]);
    const nTest = Math.max(1, Math.min(rows.length - 1, Math.round(rows.length * how.test)));
    const test = new Set(shuffled.slice(0, nTest));
    return { train: rows.filter((r) => !test.has(r)), test: rows.filter((r) => test.has(r)), testConfigurations: [] };
  }
  const count = new Map<string, number>();
  for (const r of rows) count.set(configOf(r), (count.get(configOf(r)) ?? 0) + 1);
  const ids = [...count.keys()].sort();
  if (ids.length < 2) throw new Error(`a split by configuration needs at least 2 configurations; these rows have ${ids.length} (split by row instead)`);
  rng.shuffle(ids);
  const held = new Set<string>();
  let heldRows = 0;
  for (const id of ids) {
    if (held.size === ids.length - 1 || heldRows >= how.test * rows.length) break;
    held.add(id);
    heldRows += count.get(id)!;
  }
  return { train: rows.filter((r) => !held.has(configOf(r))), test: rows.filter((r) => held.has(configOf(r))), testConfigurations: [...held].sort() };
}
