// Writes public/datasets/fingerprint/index.json after scripts/record-fingerprint-datasets.sh: how the bundles were
// made (commands, machine, load, date) and what each holds, read back from the bundles themselves.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { readBundle } from '../../core/bundle/reader.ts';

const [out = "", runs = "0", started = "", wall = "0", loadBefore = "", loadAfter = "", ...workloads] = process.argv.slice(2);
const cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? null;
const script = readFileSync(new URL('./workload.sh', import.meta.url), 'utf8');
const commandOf = (w: string) => new RegExp(`^  ${w}\\) ([\\s\\S]*?);;`, 'm').exec(script)?.[1]?.replace(/\s+/g, ' ').trim() ?? null;
const TITLES: Record<string, string> = {
  compress: 'compression: seq 1..2.5M to a file, then gzip -6, xz -1 and zstd -3 of it',
  compile: 'compile: gcc -O2 then -O0 of a generated C file (90 small functions)',
  python: 'Python numeric job: a pure-Python loop, a list sort, a dict build',
  sqlite: 'sqlite3: 400k inserts in one statement, an index, a LIKE query',
  redis: 'key-value store: redis-server with redis-benchmark (8,000 requests each of SET, GET, LPUSH, LPOP, 8 clients)',
  nginx: 'web server under load: nginx (1 worker) with curl fetching 2,400 URLs (sequential then --parallel)',
  sort: 'sort: awk-generated 800k lines, sort -n then sort -k2',
  stress: 'stress-ng: matrixprod CPU 1.5 s, vm 128M 1.5 s, hdd 32M 1 s',
};
const bundles = [];
for (const w of workloads) {
  for (let r = 1; r <= Number(runs); r++) {
    const file = `${w}-${r}.tlab`;
    const res = await readBundle(new Uint8Array(readFileSync(join(out, file))));
    if (!res.ok) throw new Error(file + ': ' + JSON.stringify(res.error));
    const { manifest, tables } = res.bundle;
    bundles.push({
      file,
      workload: w,
      run: r,
      bytes: statSync(join(out, file)).size,
      durationS: Math.round(manifest.workload.endNs / 1e6) / 1e3,
      tables: Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, t!.numRows])),
    });
  }
}
const cores = os.availableParallelism();
// Set by whoever runs the script when nothing else is running on the machine (it cannot tell on its own).
const quiet = process.env.QUIET === '1';
const index = {
  how:
    `Recorded with scripts/record-fingerprint-datasets.sh ${runs} on ${started} (${wall} s in all): ${workloads.length} workloads × ${runs} runs, ` +
    'each run one `tlab record --interval 0.1 --sources proc,psi,perf --require proc,psi,perf --label NAME --redact-hostname -- bash scripts/fingerprint-workloads/workload.sh NAME` ' +
    'in its own cgroup v2, runs interleaved (run 1 of every workload, then run 2, …). Sources: /proc + cgroup usage of the group, PSI (system and the cgroup), ' +
    'perf stat software events of the cgroup. Hardware counters are not available on this VM (no PMU is exposed to it), so no cycles, instructions or cache events: ' +
    'the fingerprints use software events, usage and pressure where CWD used PerfSpect hardware counters; strace was left out (it slows each run 2-3×). ' +
    `Machine: ${cores} CPUs (${cpuModel ?? 'unknown model'}), kernel ${os.release()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; load average (1, 5, 15 min) ${loadBefore} before and ${loadAfter} after. ` +
    (quiet
      ? `Nothing else ran on the ${cores}-core VM during the recording (QUIET=1: the operator checked with ps before it started); load averages before it include jobs that had ended just before, and those after it the recording's own workloads.`
      : `The ${cores}-core VM was shared with other jobs (other sessions' builds and tests) during the recording, so run-to-run variation includes their load, not only the workload's own.`),
  recordedAt: started,
  wallSeconds: Number(wall),
  machine: { cpus: cores, cpuModel, kernel: os.release(), memoryBytes: os.totalmem(), loadAverageBefore: loadBefore, loadAverageAfter: loadAfter, sharedWithOtherJobs: !quiet, hardwareCounters: false },
  workloads: workloads.map((w) => ({ id: w, title: TITLES[w] ?? w, command: commandOf(w), runs: Number(runs) })),
  bundles,
};
writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 2) + '\n');
console.error(`${bundles.length} bundles, ${bundles.reduce((s, b) => s + b.bytes, 0)} B`);
