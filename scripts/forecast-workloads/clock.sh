# Sourced by the forecast workloads: a schedule on the wall clock, so phases start at fixed offsets from the
# start however long the previous phase took to wind down (bash 5's $EPOCHREALTIME, microseconds).
T0=${EPOCHREALTIME/[.,]/}

# now_us: microseconds since the workload started.
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo $((t - T0)); }

# at SECONDS: sleeps until SECONDS (decimal, e.g. 12.5) after the start; returns at once if that is past.
at() {
  local s=$1 whole frac target d
  whole=${s%%.*}
  frac=0
  [[ $s == *.* ]] && frac=${s#*.}
  frac=$(printf '%-6s' "$frac"); frac=${frac// /0}
  target=$((10#$whole * 1000000 + 10#${frac:0:6}))
  d=$((target - $(now_us)))
  if ((d > 0)); then sleep "$(printf '%d.%06d' $((d / 1000000)) $((d % 1000000)))"; fi
}

# for_s SECONDS COMMAND...: runs COMMAND (and everything it starts) for at most SECONDS; its status is ignored.
for_s() {
  local s=$1
  shift
  timeout --signal=TERM --kill-after=1 "$s" "$@" || true
}
