#!/usr/bin/env bash
# Records the fingerprint-lab bundles shipped in public/datasets/fingerprint/ (issue 15, the CWD seed): 8 real
# workloads × RUNS runs (default 10), each run one `tlab record` of scripts/fingerprint-workloads/workload.sh NAME
# in its own cgroup with the proc, PSI and perf (software events) sources at 0.1 s. Runs are interleaved
# (run 1 of every workload, then run 2, …) so a drift in the machine's load does not line up with one workload.
# Hardware counters are not available on the development VM (perf has no PMU there), so perf counts only
# software events; strace is left out (it slows each run 2-3× and makes the bundles large).
# Then writes index.json with the commands, the machine, its load before and after, and each bundle's tables.
#
# Needs root (cgroups, perf), the Debian packages gzip xz-utils zstd gcc python3 sqlite3 redis-server redis-tools
# nginx curl stress-ng linux-perf, and an `npm install`ed checkout:
#   sudo [QUIET=1] scripts/record-fingerprint-datasets.sh [RUNS]
# QUIET=1 says in index.json that nothing else ran on the machine (check with ps first; the script cannot tell).
# About 15 minutes for 10 runs on the 2-core VM (each `tlab record` start costs a few seconds).
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "record-fingerprint-datasets: must run as root (cgroups, perf)" >&2
  exit 1
fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$REPO/public/datasets/fingerprint"
RUNS=${1:-10}
WORKLOADS=(compress compile python sqlite redis nginx sort stress)
for tool in gzip xz zstd gcc python3 sqlite3 redis-server redis-benchmark redis-cli curl stress-ng perf node; do
  command -v "$tool" > /dev/null || { echo "record-fingerprint-datasets: $tool not found" >&2; exit 1; }
done
command -v nginx > /dev/null || [[ -x /usr/sbin/nginx ]] || { echo "record-fingerprint-datasets: nginx not found" >&2; exit 1; }
export PATH="$PATH:/usr/sbin"
mkdir -p "$OUT"
read -r LOAD_BEFORE _ < <(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
T0=$(date +%s)
export W
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
for run in $(seq 1 "$RUNS"); do
  for wl in "${WORKLOADS[@]}"; do
    echo "record-fingerprint-datasets: $wl run $run" >&2
    (cd "$REPO" && node collector-cli/bin/tlab.js record -o "public/datasets/fingerprint/$wl-$run.tlab" --interval 0.1 --sources proc,psi,perf \
      --require proc,psi,perf --label "$wl" --redact-hostname --quiet -- bash scripts/fingerprint-workloads/workload.sh "$wl")
  done
done
WALL=$(( $(date +%s) - T0 ))
read -r LOAD_AFTER _ < <(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ',')
(cd "$REPO" && node_modules/.bin/tsx scripts/fingerprint-workloads/index.mts "$OUT" "$RUNS" "$STARTED" "$WALL" "$LOAD_BEFORE" "$LOAD_AFTER" "${WORKLOADS[@]}")
