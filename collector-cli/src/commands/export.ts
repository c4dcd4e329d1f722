import { Command } from 'commander';
import { createWriteStream, renameSync } from 'node:fs';
import { once } from 'node:events';
import { chromeTraceJson } from '../../../core/exporters/chrome-trace.ts';
import { readBundleFile } from '../bundle-file.ts';

export function exportCommand(): Command {
  return new Command('export')
    .description('Write a bundle in another tool\'s format')
    .argument('<bundle>', 'a .tlab file')
    .requiredOption('--perfetto', 'a JSON trace that ui.perfetto.dev opens: scheduling per CPU, syscalls as slices, counters as tracks')
    .option('-o, --output <file>', 'where to write (default: the bundle name with .perfetto.json)')
    .action(async (path: string, flags: { perfetto: boolean; output?: string }) => {
      const bundle = await readBundleFile(path);
      const output = flags.output ?? path.replace(/\.tlab$/, '') + '.perfetto.json';
      const tmp = `${output}.partial-${process.pid}`;
      const out = createWriteStream(tmp);
      let events = 0;
      for (const piece of chromeTraceJson(bundle)) {
        events++;
        if (!out.write(piece)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      renameSync(tmp, output);
      console.log(`wrote ${output} (${(events - 2).toLocaleString('en-US')} events); open it at https://ui.perfetto.dev`);
    });
}
