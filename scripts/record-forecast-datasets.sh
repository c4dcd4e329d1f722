#!/usr/bin/env bash
# Records the forecast-lab bundles shipped in public/datasets/forecast/ (issue 5): long recordings (about 100 s,
# ~480 intervals of 0.2 s) of workloads whose CPU use changes over time in ways the past predicts: a periodic
# burst, a cycle of phases that differ in CPU and in system calls, and a triangle ramp of CPU load. The
# workloads are the small scripts in scripts/forecast-workloads/ (their headers say what each phase runs);
# they keep to a wall-clock schedule so the cycles stay regular. Recorded with proc, psi, strace and perf
# (no sched: it traces every CPU and would dominate the size; the syscalls are a forecast input). Writes
# <workload>.tlab, index.json (file, title, description with the exact command, bytes, intervals, durationS)
# and spec.json (the forecast-lab experiment on the phases bundle; paths relative to the spec).
# One bundle is imported rather than recorded: azure-region-cpu.tlab, a month of the Azure public dataset V2's
# whole-region VM CPU at 5-minute steps (fixtures/csv/, CC-BY-4.0), through `tlab import` (no root needed); its
# index entry names the series to forecast (`target`).
#
# Needs root (cgroups, strace, perf), strace, perf (linux-perf), sysbench, python3, tar, gzip and an
# `npm install`ed checkout (tsx reads the bundles back for the index):
#   apt-get install -y strace linux-perf sysbench python3
#   sudo scripts/record-forecast-datasets.sh [WORKLOAD...]   # no arguments: all of them
#   scripts/record-forecast-datasets.sh --index-only          # rewrite index.json and spec.json only
# Running it again re-records the named workloads (all by default) and rewrites index.json from every bundle
# in the folder. The machine's other load shows in the workload's CPU share (index.json's workloadCpuShare: the
# workload's cgroup CPU time over the whole machine's, which also counts strace's and the collector's own cost):
# record on a quiet machine.
set -euo pipefail

INDEX_ONLY=0
if [[ ${1:-} == --index-only ]]; then INDEX_ONLY=1; shift; fi
if [[ $INDEX_ONLY -eq 0 && $(id -u) -ne 0 ]]; then
  echo "record-forecast-datasets: must run as root (cgroups, strace, perf)" >&2
  exit 1
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$REPO/public/datasets/forecast"
WL="$REPO/scripts/forecast-workloads"
TLAB=(node "$REPO/collector-cli/bin/tlab.js")
TSX="$REPO/node_modules/.bin/tsx"
OPTS=(--interval 0.2 --sources proc,psi,strace,perf --redact-hostname --quiet)
# The bundle spec.json points at.
SPEC_BUNDLE=phases

WORKLOADS=(phases periodic ramp azure-region-cpu)
# Imported, not recorded: the tlab import arguments (after the input file) and the series the lab forecasts.
AZURE_CSV="$REPO/fixtures/csv/azure-v2-vm-cpu-readings-month-aggregated.csv"
AZURE_TARGET='counter:cpu_usage@csv'

for tool in strace perf sysbench /usr/bin/python3 tar gzip sha256sum timeout node; do
  command -v "$tool" > /dev/null || { echo "record-forecast-datasets: $tool not found" >&2; exit 1; }
done
[[ -x $TSX ]] || { echo "record-forecast-datasets: $TSX missing (npm install)" >&2; exit 1; }

# workload NAME: sets CMD (the command, run from /tmp), TITLE and LABEL for one workload.
workload() {
  case $1 in
    phases)
      TITLE="Phases: a 12 s cycle of tar | gzip, idle, dd | sha256sum, find | cat, idle, sysbench cpu (8 cycles)"
      LABEL="12-second cycle of phases, 8 times: tar|gzip 2 s, idle 1.5 s, dd|sha256sum 2 s, find /usr/include|xargs cat 1.5 s, idle 1.5 s, sysbench cpu 4 threads 2 s, idle 1.5 s"
      CMD=(bash "$WL/phases.sh" 8) ;;
    periodic)
      TITLE="Periodic bursts: every 4 s, 1.6 s of /dev/urandom | gzip -1, then idle (24 periods)"
      LABEL="every 4 s a 1.6 s burst of head -c 4G /dev/urandom | gzip -1, idle in between, 96 s"
      CMD=(bash "$WL/periodic.sh" 96 4 1.6) ;;
    ramp)
      TITLE="Ramp: two Python workers whose CPU duty cycle follows a 10 s triangle, 5 to 100 % and back (9.6 cycles)"
      LABEL="2 workers, CPU duty cycle in 100 ms slices following a triangle wave 5 -> 100 -> 5 percent every 10 s, 96 s (python3 ramp.py)"
      CMD=(/usr/bin/python3 "$WL/ramp.py" 96 10 2 0.05 1.0) ;;
    azure-region-cpu)
      TITLE="Azure region VM CPU: a month of the Azure public dataset V2 summed per 5 minutes (imported CSV, 8,640 readings)"
      LABEL="Azure public dataset V2, whole-region VM CPU readings summed per 300 s, one month (CC-BY-4.0)"
      CMD=("$AZURE_CSV" --time timestamp --unit s) ;;
    *)
      echo "record-forecast-datasets: unknown workload $1 (known: ${WORKLOADS[*]})" >&2
      exit 1 ;;
  esac
}

# Shell-quotes one word the way the index shows it; paths inside the repository are shown relative to it.
q() {
  local a=${1#"$REPO/"}
  if [[ $a =~ ^[A-Za-z0-9_./=,:+-]+$ ]]; then printf '%s' "$a"; else printf "'%s'" "${a//\'/\'\\\'\'}"; fi
}

selected=("$@")
[[ ${#selected[@]} -gt 0 ]] || selected=("${WORKLOADS[@]}")
for w in "${selected[@]}"; do workload "$w"; done

mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# describe WORKLOAD: sets CMD, TITLE, LABEL, FILE and LINE (the exact tlab command the index shows).
describe() {
  workload "$1"
  FILE="$1.tlab"
  local a
  if [[ $1 == azure-region-cpu ]]; then
    LINE="tlab import"
    for a in "${CMD[@]}" --label "$LABEL" -o "$FILE"; do LINE+=" $(q "$a")"; done
    return
  fi
  LINE="tlab record"
  for a in "${OPTS[@]}" --label "$LABEL" -o "$FILE" -- "${CMD[@]}"; do LINE+=" $(q "$a")"; done
}

for w in "${selected[@]}"; do
  [[ $INDEX_ONLY -eq 0 ]] || break
  describe "$w"
  if [[ $w == azure-region-cpu ]]; then
    echo "importing $FILE" >&2
    "${TLAB[@]}" import "${CMD[@]}" --label "$LABEL" -o "$TMP/$FILE" > /dev/null
    mv -f "$TMP/$FILE" "$OUT/$FILE"
    continue
  fi
  echo "recording $FILE: ${CMD[*]}" >&2
  # Workloads run from /tmp so nothing they write lands in the repository.
  (cd /tmp && "${TLAB[@]}" record "${OPTS[@]}" --label "$LABEL" -o "$TMP/$FILE" -- "${CMD[@]}" > /dev/null)
  mv -f "$TMP/$FILE" "$OUT/$FILE"
done

for w in "${WORKLOADS[@]}"; do
  describe "$w"
  node -e 'console.log(JSON.stringify(process.argv.slice(1)))' "$FILE" "$TITLE" "$LABEL" "$LINE" "${CMD[@]}"
done > "$TMP/meta.jsonl"

# Index (counts read back from the bundles) and spec.
cat > "$TMP/index.mts" <<EOF
import { readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readBundle } from '$REPO/core/bundle/reader.ts';
import { dictColumn, numberColumn } from '$REPO/core/bundle/columns.ts';
import { buildSeries, listSeries } from '$REPO/core/forecast/series.ts';

const [out, orderArg, metaFile, specBundle, importTarget] = process.argv.slice(2) as [string, string, string, string, string];
const order = orderArg.split(',');
const meta = new Map<string, string[]>();
for (const l of readFileSync(metaFile, 'utf8').trim().split('\n')) { const a = JSON.parse(l) as string[]; meta.set(a[0]!, a); }
const entries = [];
for (const file of readdirSync(out).filter((f) => f.endsWith('.tlab'))) {
  const m = meta.get(file);
  if (!m) throw new Error(file + ': not a bundle this script records (remove it or add its workload)');
  const [, title, label, line, ...cmd] = m as [string, string, string, string, ...string[]];
  const bytes = statSync(join(out, file)).size;
  const r = await readBundle(new Uint8Array(readFileSync(join(out, file))));
  if (!r.ok) throw new Error(file + ': ' + JSON.stringify(r.error));
  const { manifest, tables } = r.bundle;
  if (manifest.producer.name === 'tlab import') {
    // An imported time series: no usage samples, no workload share; its grid is its own readings' times.
    if (manifest.workload.label !== label) throw new Error(file + ': imported with another label than the script now gives; re-import it');
    const listed = listSeries(r.bundle);
    if (!listed.some((s) => s.id === importTarget)) throw new Error(file + ': no series ' + importTarget + ' (it has ' + listed.map((s) => s.id).join(', ') + ')');
    const intervals = buildSeries(r.bundle, [importTarget]).tNs.length;
    const durationS = Math.round(((manifest.workload.endNs ?? 0) - (manifest.workload.startNs ?? 0)) / 1e6) / 1e3;
    entries.push({ file, title, description: label + '; imported: ' + line, bytes, intervals, durationS, target: importTarget });
    continue;
  }
  if (JSON.stringify(manifest.workload.command) !== JSON.stringify(cmd) || manifest.workload.label !== label) {
    throw new Error(file + ': recorded with another command than the script now gives; re-record it');
  }
  for (const t of ['samples', 'psi', 'syscalls'] as const) {
    if (!tables[t] || tables[t]!.numRows === 0) throw new Error(file + ': no ' + t + ' rows');
  }
  const scope = dictColumn(tables.samples!, 'scope');
  const groupCode = scope.values.indexOf('group');
  let groupRows = 0;
  for (const c of scope.codes) if (c === groupCode) groupRows++;
  const intervals = buildSeries(r.bundle, ['group:cpu']).tNs.length;
  if (intervals !== groupRows) throw new Error(file + ': ' + intervals + ' intervals but ' + groupRows + ' group rows');
  const durationS = Math.round(((manifest.workload.endNs ?? 0) - (manifest.workload.startNs ?? 0)) / 1e6) / 1e3;
  // How much of the machine's CPU time the workload's group had: what else ran shows here.
  const user = numberColumn(tables.samples!, 'cpu_user_s');
  const sys = numberColumn(tables.samples!, 'cpu_system_s');
  const cpuByScope = new Map<string, number>();
  for (let i = 0; i < tables.samples!.numRows; i++) {
    const s = scope.values[scope.codes[i]!]!;
    cpuByScope.set(s, (cpuByScope.get(s) ?? 0) + user[i]! + sys[i]!);
  }
  const machineCpu = cpuByScope.get('system') ?? 0;
  if (machineCpu <= 0) throw new Error(file + ': no system CPU samples');
  const workloadCpuShare = Math.round(((cpuByScope.get('group') ?? 0) / machineCpu) * 1000) / 1000;
  entries.push({
    file, title,
    description: label + '; recorded with proc, psi, strace and perf (no sched): ' + line,
    bytes, intervals, durationS, syscalls: tables.syscalls!.numRows, workloadCpuShare,
  });
}
const rank = (f: string) => { const i = order.indexOf(f.replace(/\.tlab$/, '')); return i < 0 ? order.length : i; };
entries.sort((a, b) => rank(a.file) - rank(b.file) || a.file.localeCompare(b.file));
writeFileSync(join(out, 'index.json'), JSON.stringify(entries, null, 2) + '\n');
const spec = { lab: 'forecast', seed: 1, bundle: { path: specBundle + '.tlab' }, horizons: [1, 2, 4, 8, 16], histories: [2, 4, 8, 16, 32] };
writeFileSync(join(out, 'spec.json'), JSON.stringify(spec, null, 2) + '\n');
for (const e of entries) console.error(e.file.padEnd(22), String(e.bytes).padStart(9), 'B', String(e.intervals).padStart(5), 'intervals', String(e.durationS).padStart(9), 's', String(e.syscalls ?? 0).padStart(8), 'syscalls', 'workload CPU share', e.workloadCpuShare ?? '(imported)');
console.error('total', entries.reduce((s, e) => s + e.bytes, 0), 'B in', entries.length, 'bundles');
EOF
(cd "$REPO" && "$TSX" "$TMP/index.mts" "$OUT" "$(IFS=,; echo "${WORKLOADS[*]}")" "$TMP/meta.jsonl" "$SPEC_BUNDLE" "$AZURE_TARGET")
