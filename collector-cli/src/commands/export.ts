import { Command } from 'commander';
import { chromeTraceJson } from '../../../core/exporters/chrome-trace.ts';
import { readBundleFile } from '../bundle-file.ts';
import { OutputError, checkOutputPath, writeStreamSafely } from '../safe-output.ts';

function fail(message: string): never {
  console.error(`tlab export: ${message}`);
  process.exit(2);
}

export function exportCommand(): Command {
  return new Command('export')
    .description('Write a bundle in another tool\'s format')
    .argument('<bundle>', 'a .tlab file')
    .requiredOption('--perfetto', 'a JSON trace that ui.perfetto.dev opens: scheduling per CPU, syscalls as slices, counters as tracks')
    .option('-o, --output <file>', 'where to write (default: the bundle name with .perfetto.json)')
    .action(async (path: string, flags: { perfetto: boolean; output?: string }) => {
      const output = flags.output ?? path.replace(/\.tlab$/, '') + '.perfetto.json';
      let events = 0;
      try {
        checkOutputPath(output);
        const bundle = await readBundleFile(path);
        await writeStreamSafely(output, async (write) => {
          for (const piece of chromeTraceJson(bundle)) {
            events++;
            await write(piece);
          }
        });
      } catch (e) {
        if (e instanceof OutputError) fail(e.message);
        throw e;
      }
      console.log(`wrote ${output} (${(events - 2).toLocaleString('en-US')} events); open it at https://ui.perfetto.dev`);
    });
}
