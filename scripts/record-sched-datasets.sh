#!/usr/bin/env bash
# Records the scheduling-lab bundles shipped in public/datasets/sched/ (issue 4, "Data"): nine workloads
# with distinct scheduling behaviour, three runs each, recorded with only the proc and sched sources so each
# bundle stays small. Writes <workload>-<run>.tlab, index.json (one entry per bundle, with its size and its
# sched_switch count) and spec.json (a suggested lab experiment: runs 1-2 train, run 3 test-seen, two whole
# workloads held out as test-unseen).
#
# Needs root (cgroups, tracefs) and perf, hackbench (rt-tests), sysbench, stress-ng, tar and gzip:
#   apt-get install -y sysbench rt-tests stress-ng      # perf: linux-perf
#   sudo scripts/record-sched-datasets.sh [WORKLOAD...]  # no arguments: all of them
# Running it again re-records the named workloads (all by default) and rewrites index.json and spec.json from
# every bundle in the folder. The sched source traces every CPU of the machine, so whatever else runs at the
# same time is in the bundles too; record on a quiet machine.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "record-sched-datasets: must run as root (cgroups, tracefs)" >&2
  exit 1
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$REPO/public/datasets/sched"
TLAB=(node "$REPO/collector-cli/bin/tlab.js")
TSX="$REPO/node_modules/.bin/tsx"
RUNS=3
OPTS=(--sources proc,sched --require sched --interval 0.5 --redact-hostname --quiet)

WORKLOADS=(messaging pipe hackbench sysbench-cpu sysbench-threads sysbench-memory stress-cpu tar-gzip io-stress)
# Whole workloads held out of training as the unseen test (every run of them is test-unseen).
UNSEEN=(pipe io-stress)

for tool in perf hackbench sysbench stress-ng tar gzip node; do
  command -v "$tool" > /dev/null || { echo "record-sched-datasets: $tool not found" >&2; exit 1; }
done
[[ -x $TSX ]] || { echo "record-sched-datasets: $TSX missing (npm install)" >&2; exit 1; }

# workload NAME: sets CMD (the command line) and TITLE for one workload. Parameters are sized so a run lasts
# about 1.5-3 s under tracing on a 2-CPU machine and a bundle stays under ~400 KB.
workload() {
  case $1 in
    messaging)
      TITLE="IPC, many to many: perf bench sched messaging (sockets, 40 processes)"
      CMD=(perf bench sched messaging -g 1 -l 400) ;;
    pipe)
      TITLE="IPC, ping-pong: perf bench sched pipe (two tasks over a pipe)"
      CMD=(perf bench sched pipe -l 25000) ;;
    hackbench)
      TITLE="IPC, many to many: hackbench over pipes with threads (80 threads)"
      CMD=(hackbench -p -T -g 2 -l 250) ;;
    sysbench-cpu)
      TITLE="CPU bound: sysbench cpu, 2 threads"
      CMD=(sysbench cpu --threads=2 --time=2 run) ;;
    sysbench-threads)
      TITLE="Lock contention and yields: sysbench threads, 4 threads on 2 CPUs"
      CMD=(sysbench threads --threads=4 --time=0 --events=80 run) ;;
    sysbench-memory)
      TITLE="Memory bandwidth: sysbench memory, 2 threads"
      CMD=(sysbench memory --threads=2 --time=2 run) ;;
    stress-cpu)
      TITLE="CPU bound, oversubscribed: stress-ng --cpu 4 on 2 CPUs (time-slice preemption)"
      CMD=(stress-ng --cpu 4 --timeout 2) ;;
    tar-gzip)
      TITLE="Mixed: tar of /usr/include/node and llvm-14 piped into gzip -1"
      CMD=(sh -c 'tar cf - /usr/include/node /usr/include/llvm-14 2>/dev/null | gzip -1 > /dev/null') ;;
    io-stress)
      TITLE="Disk writes: stress-ng --hdd 1 (32 MB, files in /tmp)"
      CMD=(stress-ng --hdd 1 --hdd-bytes 32M --temp-path /tmp --timeout 2) ;;
    *)
      echo "record-sched-datasets: unknown workload $1 (known: ${WORKLOADS[*]})" >&2
      exit 1 ;;
  esac
}

# Shell-quotes one word the way the index shows it.
q() {
  if [[ $1 =~ ^[A-Za-z0-9_./=,:+-]+$ ]]; then printf '%s' "$1"; else printf "'%s'" "${1//\'/\'\\\'\'}"; fi
}

selected=("$@")
[[ ${#selected[@]} -gt 0 ]] || selected=("${WORKLOADS[@]}")
for w in "${selected[@]}"; do workload "$w"; done

mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# describe WORKLOAD RUN: sets CMD, TITLE, FILE, LABEL and LINE (the exact tlab command the index shows).
describe() {
  workload "$1"
  FILE="$1-$2.tlab"
  LABEL="$1 run $2: ${CMD[*]}"
  LINE="tlab record"
  local a
  for a in "${OPTS[@]}" --label "$LABEL" -o "$FILE" -- "${CMD[@]}"; do LINE+=" $(q "$a")"; done
}

# Waits (up to a minute) while another tlab recording runs on the machine: its collector would be in our trace.
wait_for_quiet() {
  local i
  for i in $(seq 1 60); do
    pgrep -f 'tlab(\.js)? record' > /dev/null || return 0
    sleep 1
  done
  echo "record-sched-datasets: another tlab recording is still running; recording anyway" >&2
}

for run in $(seq 1 "$RUNS"); do
  for w in "${selected[@]}"; do
    describe "$w" "$run"
    wait_for_quiet
    echo "recording $FILE: ${CMD[*]}" >&2
    # Workloads run from /tmp so nothing they write lands in the repository.
    (cd /tmp && "${TLAB[@]}" record "${OPTS[@]}" --label "$LABEL" -o "$TMP/$FILE" -- "${CMD[@]}" > /dev/null)
    mv -f "$TMP/$FILE" "$OUT/$FILE"
  done
done

# Title, label, command and exact tlab line of every bundle the script knows, for the index step.
for w in "${WORKLOADS[@]}"; do
  for run in $(seq 1 "$RUNS"); do
    describe "$w" "$run"
    node -e 'console.log(JSON.stringify(process.argv.slice(1)))' "$FILE" "$TITLE" "$LABEL" "$LINE" "${CMD[@]}"
  done
done > "$TMP/meta.jsonl"

# Index and spec from every bundle in the folder (their counts read back from the bundles themselves).
cat > "$TMP/index.mts" <<EOF
import { readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readBundle } from '$REPO/core/bundle/reader.ts';
import { dictColumn, numberColumn } from '$REPO/core/bundle/columns.ts';

const out = process.argv[2]!;
const order = process.argv[3]!.split(',');
const unseen = new Set(process.argv[4]!.split(','));
const meta = new Map<string, string[]>();
for (const l of readFileSync(process.argv[5]!, 'utf8').trim().split('\n')) { const a = JSON.parse(l) as string[]; meta.set(a[0]!, a); }
const entries = [];
for (const file of readdirSync(out).filter((f) => /^[a-z0-9-]+-\d+\.tlab$/.test(f))) {
  const m = /^(.*)-(\d+)\.tlab$/.exec(file)!;
  const workload = m[1]!;
  const run = Number(m[2]);
  const m2 = meta.get(file);
  if (!m2) throw new Error(file + ': not a bundle this script records (remove it or add its workload)');
  const [, title, label, line, ...cmd] = m2 as [string, string, string, string, ...string[]];
  const bytes = statSync(join(out, file)).size;
  const r = await readBundle(new Uint8Array(readFileSync(join(out, file))));
  if (!r.ok) throw new Error(file + ': ' + JSON.stringify(r.error));
  const { manifest, tables } = r.bundle;
  const sched = tables.sched;
  if (!sched) throw new Error(file + ': no sched table');
  if (JSON.stringify(manifest.workload.command) !== JSON.stringify(cmd) || manifest.workload.label !== label) {
    throw new Error(file + ': recorded with another command than the script now gives; re-record it');
  }
  const ev = dictColumn(sched, 'event');
  const count = (name: string) => { const c = ev.values.indexOf(name); let n = 0; for (const x of ev.codes) if (x === c) n++; return n; };
  const switches = count('sched_switch');
  const wakeups = count('sched_wakeup');
  if (switches === 0 || wakeups === 0) throw new Error(file + ': no sched_switch or sched_wakeup events');
  // The workload's tasks: the process that exec'd the command (the collector starts it), and its descendants.
  const pids = new Set<number>();
  const exec = ev.values.indexOf('sched_process_exec');
  const targetComm = dictColumn(sched, 'target_comm');
  const target = numberColumn(sched, 'target_pid');
  const root = cmd[0]!.split('/').pop()!.slice(0, 15);
  for (let i = 0; i < sched.numRows; i++) {
    if (ev.codes[i] === exec && targetComm.values[targetComm.codes[i]!] === root) { pids.add(target[i]!); break; }
  }
  if (pids.size === 0) throw new Error(file + ': the exec of ' + root + ' is not in the trace');
  const fork = ev.values.indexOf('sched_process_fork');
  const parent = numberColumn(sched, 'parent_pid');
  for (let i = 0; i < sched.numRows; i++) if (ev.codes[i] === fork && pids.has(parent[i]!)) pids.add(target[i]!);
  const prev = numberColumn(sched, 'prev_pid');
  const next = numberColumn(sched, 'next_pid');
  const sw = ev.values.indexOf('sched_switch');
  let mine = 0;
  for (let i = 0; i < sched.numRows; i++) if (ev.codes[i] === sw && (pids.has(prev[i]!) || pids.has(next[i]!))) mine++;
  const durationS = Math.round(((manifest.workload.endNs ?? 0) - (manifest.workload.startNs ?? 0)) / 1e6) / 1e3;
  const workloadSwitchShare = Math.round((mine / switches) * 1000) / 1000;
  entries.push({
    file, workload, run, title: title + ' (run ' + run + ')',
    description: label + ', recorded with the proc and sched sources only (sched traces every CPU, so other tasks on the machine appear too): ' + line,
    bytes, switches, wakeups, durationS, workloadSwitchShare,
  });
}
const rank = (w: string) => { const i = order.indexOf(w); return i < 0 ? order.length : i; };
entries.sort((a, b) => rank(a.workload) - rank(b.workload) || a.workload.localeCompare(b.workload) || a.run - b.run);
writeFileSync(join(out, 'index.json'), JSON.stringify(entries, null, 2) + '\n');
const spec = {
  lab: 'sched',
  seed: 1,
  bundles: entries.map((e) => ({
    path: e.file,
    workload: e.workload,
    role: unseen.has(e.workload) ? 'test-unseen' : e.run === 3 ? 'test-seen' : 'train',
  })),
};
writeFileSync(join(out, 'spec.json'), JSON.stringify(spec, null, 2) + '\n');
for (const e of entries) console.error(e.file.padEnd(24), String(e.bytes).padStart(8), 'B', String(e.switches).padStart(7), 'switches', String(e.durationS).padStart(6), 's', 'workload share', e.workloadSwitchShare);
console.error('total', entries.reduce((s, e) => s + e.bytes, 0), 'B in', entries.length, 'bundles');
EOF
(IFS=,; "$TSX" "$TMP/index.mts" "$OUT" "${WORKLOADS[*]}" "${UNSEEN[*]}" "$TMP/meta.jsonl")
