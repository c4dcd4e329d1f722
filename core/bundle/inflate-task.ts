import { BundleErrorException } from './errors.ts';
import { UnzipCollector, type PoolAnswer, type PoolTask } from './unzip-stream.ts';

/**
 * An inflate worker's side of InflatePool: the entry is inflated by the same code and against the same limits as
 * it would be on the reader's thread. A typed bundle error is the answer; anything else (a worker that cannot
 * inflate at all) answers null, so the reader inflates the entry itself and reports what it finds.
 */
export async function runInflateTask(task: PoolTask): Promise<PoolAnswer> {
  const held = { name: task.name, compression: 8, parts: [task.compressed], declared: task.declared, limit: task.limit, basis: task.basis };
  try {
    const files = await UnzipCollector.inflateHeld([held], undefined, task.limits);
    const bytes = files.get(task.name);
    return bytes ? { ok: true, bytes } : null;
  } catch (e) {
    return e instanceof BundleErrorException ? { ok: false, error: e.error } : null;
  }
}
