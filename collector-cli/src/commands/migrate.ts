import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { FORMAT_VERSION, describeBundleError, readBundle, rewriteBundle } from '../../../core/bundle/index.ts';
import { OutputError, checkOutputPath, writeFileSafely } from '../safe-output.ts';

function fail(message: string): never {
  console.error(`tlab migrate: ${message}`);
  process.exit(2);
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description(`Rewrite a bundle of any older format in the current one (${FORMAT_VERSION}: compact tables, large ones column by column, faster to read), raw captures included`)
    .argument('<in>', 'a .tlab file')
    .argument('<out>', 'where to write the rewritten bundle (may be <in>: it is read whole first, and replaced only once the rewrite reads back)')
    .action(async (input: string, output: string) => {
      try {
        checkOutputPath(output);
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(readFileSync(input));
        } catch (e) {
          fail(`cannot read ${input}: ${(e as Error).message}`);
        }
        const result = await readBundle(bytes, { keepRaw: true });
        if (!result.ok) {
          const { title, detail } = describeBundleError(result.error);
          fail(`${input}: ${title}. ${detail}`);
        }
        const from = result.bundle.manifest.formatVersion;
        const out = rewriteBundle(result.bundle);
        // Read back before the file is renamed into place: a rewrite that does not read is never left behind.
        await writeFileSafely(output, out, async (back) => {
          const check = await readBundle(back, { keepRaw: true });
          if (!check.ok) throw new Error(`the rewritten bundle does not read back: ${check.error.kind}`);
        });
        console.log(`wrote ${output}: format ${from} -> ${FORMAT_VERSION}, ${bytes.byteLength.toLocaleString('en-US')} -> ${out.byteLength.toLocaleString('en-US')} bytes`);
      } catch (e) {
        if (e instanceof OutputError) fail(e.message);
        throw e;
      }
    });
}
