// Preloaded into a `tlab` process under test (node --import): on exit it writes the process's own resource usage
// (peak resident memory from getrusage, CPU times) as JSON to the file named by TLAB_USAGE_FILE. Exact, and
// needs no /usr/bin/time.
import { writeFileSync } from 'node:fs';

const file = process.env.TLAB_USAGE_FILE;
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify(process.resourceUsage())));
