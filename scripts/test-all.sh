#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs every test (type check, unit, e2e).
# As root it installs missing system packages (Chromium for the e2e tests; strace, perf, trace-cmd, Prometheus and
# node_exporter for the collector's tests against the real tools); otherwise it says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/nonexistent}" ] || missing+=(chromium)
command -v strace >/dev/null 2>&1 || missing+=(strace)
command -v perf >/dev/null 2>&1 || missing+=(linux-perf)
command -v trace-cmd >/dev/null 2>&1 || missing+=(trace-cmd)
# A real Prometheus and node_exporter for the Prometheus import tests.
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-node-exporter >/dev/null 2>&1 || missing+=(prometheus-node-exporter)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
  fi
fi

npm ci --no-audit --no-fund --loglevel=error
npm test
