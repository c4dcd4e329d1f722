#!/usr/bin/env bash
# Records the verified-lab bundles shipped in public/datasets/verified/ (issue 11) with `tlab bench`: redis-server
# and nginx on loopback, each in its own cgroup, driven by a closed-loop client that times every request, under
# stress-ng cpu, io and vm interference at levels 0..5 (level k = k workers of the kind), with the recorder's proc,
# PSI (system and the service's cgroup) and perf sources beside the latency labels. One bundle per service
# (redis.tlab: request mixes get, set, get-set; nginx.tlab: small and large files), then index.json with the
# exact command, the machine and its load before and after, and what each bundle holds (read back).
#
# Needs root (cgroups, perf), the Debian packages redis-server, nginx, stress-ng and linux-perf, and an
# `npm install`ed checkout:
#   apt-get install -y redis-server nginx stress-ng linux-perf
#   sudo scripts/record-verified-datasets.sh [SECONDS_PER_LEVEL]   # default 4
# Takes about 8 minutes at 4 s per configuration. Other jobs on the machine show in the latency and in the
# system PSI: the index says what else was running when the recording started.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "record-verified-datasets: must run as root (cgroups, perf)" >&2
  exit 1
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$REPO/public/datasets/verified"
TSX="$REPO/node_modules/.bin/tsx"
SECONDS_PER_LEVEL=${1:-4}
ARGS=(bench --services redis,nginx --interference cpu,io,vm --levels 0..5 --seconds-per-level "$SECONDS_PER_LEVEL" --interval 0.5 --connections 4 --seed 1 --order shuffled --redact-hostname --quiet)

for tool in redis-server stress-ng perf node; do
  command -v "$tool" > /dev/null || { echo "record-verified-datasets: $tool not found" >&2; exit 1; }
done
command -v nginx > /dev/null || [[ -x /usr/sbin/nginx ]] || { echo "record-verified-datasets: nginx not found" >&2; exit 1; }
[[ -x $TSX ]] || { echo "record-verified-datasets: $TSX missing (npm install)" >&2; exit 1; }

mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# What the machine was doing just before: load averages and the busiest other processes (name and CPU share).
read -r LOAD_BEFORE _ < <(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')
# top's second frame: CPU shares over the last second (ps would give lifetime averages).
BUSY_BEFORE=$(top -b -n 2 -d 1 | awk '/^top -/ { frame++ } frame == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 >= 5 { printf "%s%s %s%%", sep, $12, $9; sep = ", " }')
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
T0=$(date +%s)
echo "recording with: tlab ${ARGS[*]} --out public/datasets/verified (load before: $LOAD_BEFORE; busy: ${BUSY_BEFORE:-nothing})" >&2
# From the repository, so the command line each bundle's manifest quotes names the folder as the index does.
(cd "$REPO" && node collector-cli/bin/tlab.js "${ARGS[@]}" --out public/datasets/verified)
WALL=$(( $(date +%s) - T0 ))
read -r LOAD_AFTER _ < <(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')

cat > "$TMP/index.mts" <<EOF
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { readBundle } from '$REPO/core/bundle/reader.ts';

const [out, command, started, wall, loadBefore, loadAfter, busyBefore] = process.argv.slice(2) as string[];
const cpuModel = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? null;
const bundles = [];
let perConfiguration = '';
for (const [service, title] of [
  ['redis', 'redis-server 7 under stress-ng cpu / io / vm interference, levels 0..5: GET, SET and mixed GET/SET latency'],
  ['nginx', 'nginx under stress-ng cpu / io / vm interference, levels 0..5: 1 KiB and 256 KiB static file latency'],
] as const) {
  const file = service + '.tlab';
  const r = await readBundle(new Uint8Array(readFileSync(join(out, file))));
  if (!r.ok) throw new Error(file + ': ' + JSON.stringify(r.error));
  const { manifest, tables } = r.bundle;
  const bench = manifest.bench;
  if (!bench || !tables.latency) throw new Error(file + ': no bench section or latency table');
  const c0 = bench.configurations[0]!;
  perConfiguration = Math.round((c0.endNs - c0.startNs) / bench.intervalNs) + ' intervals of ' + bench.intervalNs / 1e9 + ' s';
  for (const [name, s] of Object.entries(manifest.sources)) if (s?.status !== 'ok') throw new Error(file + ': source ' + name + ' is ' + s?.status);
  bundles.push({
    file,
    service,
    title,
    description: manifest.workload.description,
    bytes: statSync(join(out, file)).size,
    configurations: bench.configurations.length,
    latencyRows: tables.latency.numRows,
    requests: bench.client.completedRequests,
    errors: bench.client.errors,
    durationS: Math.round(manifest.workload.endNs / 1e6) / 1e3,
    service_version: bench.service?.version ?? null,
    tables: Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, t!.numRows])),
  });
}
const cores = os.availableParallelism();
const busy = busyBefore ? busyBefore : 'no process above 5 % of a CPU';
const shared = Number(loadBefore!.split(',')[0]) >= 0.5 || busyBefore !== '';
const index = {
  how:
    'Recorded with ' + command + ' (scripts/record-verified-datasets.sh) on ' + started + ', ' + wall + ' s in all. ' +
    'Each service ran on 127.0.0.1 in its own cgroup v2 with a private configuration, driven by a closed-loop client (4 connections, a separate Node process) that timed every request; ' +
    'each configuration (request mix × interference kind × level) ran ' + perConfiguration + ', in a seeded shuffled order of interference settings; level k = k stress-ng workers ' +
    '(cpu: --cpu k; io: --hdd k --hdd-bytes 16M --hdd-opts direct; vm: --vm k --vm-bytes 64M) in a sibling cgroup. ' +
    'The latency table holds one row per interval (requests, errors, throughput, mean/p50/p99/max µs, exact over the interval); the recorder sampled proc, PSI (system and the service\\'s cgroup) and perf software counters every 0.5 s. ' +
    'Machine: ' + cores + ' CPUs (' + (cpuModel ?? 'unknown model') + '), kernel ' + os.release() + ', ' + Math.round(os.totalmem() / 2 ** 30) + ' GiB; load average (1, 5, 15 min) ' + loadBefore + ' just before the run (tlab not yet running) and ' + loadAfter + ' just after (this includes the bench\'s own service, client and up to 5 stress-ng workers). ' +
    (shared
      ? 'The ' + cores + '-core VM was shared with other jobs around the recording (the load before it; in the one second top sampled just before, it showed ' + busy + '), so part of the latency and of the system-scope PSI comes from them, not from the interference; the cgroup-scope PSI is the service\'s own.'
      : 'The machine was otherwise quiet when the recording started.'),
  command,
  recordedAt: started,
  wallSeconds: Number(wall),
  machine: { cpus: cores, cpuModel, kernel: os.release(), memoryBytes: os.totalmem(), loadAverageBefore: loadBefore, loadAverageAfter: loadAfter, busyBefore: busy, sharedWithOtherJobs: shared },
  bundles,
};
writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 2) + '\n');
for (const b of bundles) console.error(b.file.padEnd(12), String(b.bytes).padStart(9), 'B', String(b.configurations).padStart(4), 'configurations', String(b.latencyRows).padStart(5), 'latency rows', String(b.requests).padStart(9), 'requests');
console.error('total', bundles.reduce((s, b) => s + b.bytes, 0), 'B');
EOF
(cd "$REPO" && "$TSX" "$TMP/index.mts" "$OUT" "tlab ${ARGS[*]} --out public/datasets/verified" "$STARTED" "$WALL" "$LOAD_BEFORE" "$LOAD_AFTER" "$BUSY_BEFORE")
