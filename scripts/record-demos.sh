#!/bin/sh
# Records the demo bundles shipped in public/datasets/ with the collector, from real programs on this
# machine, and writes public/datasets/index.json. Needs root (cgroups, tracefs, strace) and the tools
# perf, strace, sysbench and gzip. Usage: sudo scripts/record-demos.sh
set -eu
cd "$(dirname "$0")/.."
OUT=public/datasets
mkdir -p "$OUT"
TLAB="node collector-cli/bin/tlab.js"
INDEX_TMP=$(mktemp)
trap 'rm -f "$INDEX_TMP"' EXIT

# record FILE TITLE LABEL -- COMMAND...: one bundle, plus its line in the index.
record() {
  file=$1 title=$2 label=$3
  shift 4
  opts="record --interval 0.2 --redact-hostname --quiet"
  echo "recording $file: $*" >&2
  # shellcheck disable=SC2086
  $TLAB $opts --label "$label" -o "$OUT/$file" -- "$@" > /dev/null
  bytes=$(wc -c < "$OUT/$file")
  node -e '
    const [file, title, label, bytes, opts, ...cmd] = process.argv.slice(1);
    const q = (a) => (/^[\w.\/=,:-]+$/.test(a) ? a : `'"'"'${a}'"'"'`);
    const line = `tlab ${opts} --label ${q(label)} -o ${file} -- ${cmd.map(q).join(" ")}`;
    console.log(JSON.stringify({ file, title, description: `${label}, recorded with all sources (proc, psi, strace, perf, sched): ${line}`, bytes: Number(bytes) }));
  ' "$file" "$title" "$label" "$bytes" "$opts" "$@" >> "$INDEX_TMP"
}

record sysbench-cpu.tlab "CPU bound: sysbench cpu, 2 threads" \
  "sysbench cpu --threads=2 --time=5 run (prime numbers, two threads)" -- \
  sysbench cpu --threads=2 --time=5 run
record messaging.tlab "Scheduler stress: perf bench sched messaging" \
  "80 processes passing messages over pipes (perf bench sched messaging -g 2 -l 60)" -- \
  perf bench sched messaging -g 2 -l 60
record compression.tlab "Compression: tar | gzip -6 of /usr/share/doc" \
  "tar of /usr/share/doc piped into gzip -6" -- \
  sh -c 'tar cf - /usr/share/doc 2>/dev/null | gzip -6 > /dev/null'

node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
  // Lightest first: ?demo opens the first entry, and the first view should come fast (issue 13).
  const index = lines.map((l) => JSON.parse(l)).sort((a, b) => a.bytes - b.bytes);
  require("fs").writeFileSync(process.argv[2], JSON.stringify(index, null, 2) + "\n");
' "$INDEX_TMP" "$OUT/index.json"
ls -l "$OUT" >&2
