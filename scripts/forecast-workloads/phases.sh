#!/usr/bin/env bash
# Forecast workload "phases": a 12-second cycle of six phases that differ in CPU use and in system calls,
# repeated CYCLES times, each phase starting at a fixed offset in the cycle:
#    0.0-2.0  tar of /usr/share/doc into gzip -6   (about one CPU; newfstatat/openat/read/write)
#    2.0-3.5  idle (sleep)
#    3.5-5.5  sha256sum of zeros from dd bs=1M      (about one CPU; big reads and writes over a pipe)
#    5.5-7.0  find /usr/include -name '*.h' | xargs cat   (file walking: getdents64/openat/read/close)
#    7.0-8.5  idle (sleep)
#    8.5-10.5 sysbench cpu, 4 threads               (every CPU it can get, almost no system calls)
#   10.5-12.0 idle (sleep)
# Usage: phases.sh [CYCLES=8]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/clock.sh"
cycles=${1:-8}
for ((c = 0; c < cycles; c++)); do
  b=$((c * 12))
  at "$b"
  for_s 2 sh -c 'tar cf - /usr/share/doc 2>/dev/null | gzip -6 > /dev/null'
  at "$((b + 3)).5"
  for_s 2 sh -c 'dd if=/dev/zero bs=1M count=100000 status=none | sha256sum > /dev/null'
  at "$((b + 5)).5"
  for_s 1.5 sh -c "find /usr/include -name '*.h' -print0 | xargs -0 cat > /dev/null"
  at "$((b + 8)).5"
  for_s 2 sysbench cpu --threads=4 --time=2 run > /dev/null
done
at $((cycles * 12))
