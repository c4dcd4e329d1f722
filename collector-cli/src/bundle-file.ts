import { createReadStream, statSync } from 'node:fs';
import { describeBundleError, readBundle, type Bundle } from '../../core/bundle/index.ts';

/** Reads a bundle from disk as a stream; on failure prints what is wrong and exits with 2. */
export async function readBundleFile(path: string): Promise<Bundle> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    console.error(`tlab: cannot read ${path}: ${(e as Error).message}`);
    process.exit(2);
  }
  const result = await readBundle(size === 0 ? new Uint8Array(0) : (createReadStream(path) as AsyncIterable<Uint8Array>));
  if (!result.ok) {
    const { title, detail } = describeBundleError(result.error);
    console.error(`tlab: ${path}: ${title}. ${detail}`);
    process.exit(2);
  }
  return result.bundle;
}
