#!/usr/bin/env bash
# Forecast workload "periodic": every PERIOD seconds a burst of BURST seconds of random data compressed by
# gzip (head reads /dev/urandom, gzip -1 compresses it: about one CPU, reads and writes over a pipe), then
# idle (the shell sleeps) until the next period starts. The bursts start at fixed multiples of PERIOD.
# Usage: periodic.sh [DURATION=96] [PERIOD=4] [BURST=1.6]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/clock.sh"
duration=${1:-96} period=${2:-4} burst=${3:-1.6}
n=$((duration / period))
for ((k = 0; k < n; k++)); do
  at $((k * period))
  for_s "$burst" sh -c 'head -c 4G /dev/urandom | gzip -1 > /dev/null'
done
at "$duration"
