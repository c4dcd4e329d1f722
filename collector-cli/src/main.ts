import { Command } from 'commander';
import { producerVersion } from './version.ts';
import { recordCommand } from './commands/record.ts';
import { inspectCommand } from './commands/inspect.ts';
import { importCommand } from './commands/import.ts';
import { exportCommand } from './commands/export.ts';
import { runCommand } from './commands/run.ts';
import { benchCommand } from './commands/bench.ts';
import { replayCommand } from './commands/replay.ts';
import { migrateCommand } from './commands/migrate.ts';
import { enableRelaxedSimd } from './relaxed-simd.ts';
import { installTerminalOutput } from './terminal-output.ts';
import { useZlibInflate } from './zlib-inflate.ts';

// Before anything prints: every byte to stdout/stderr has its control characters escaped (terminal-output.ts).
installTerminalOutput();
enableRelaxedSimd();
useZlibInflate();

// A thin router: each command lives in its own file under commands/.
const program = new Command('tlab')
  .description('Telemetry Lab: record Linux workload telemetry into .tlab bundles, import other tools\' traces, and run experiments')
  .version(producerVersion());

program.addCommand(recordCommand());
program.addCommand(inspectCommand());
program.addCommand(importCommand());
program.addCommand(exportCommand());
program.addCommand(runCommand());
program.addCommand(benchCommand());
program.addCommand(replayCommand());
program.addCommand(migrateCommand());

await program.parseAsync(process.argv);
