#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs every test (type check, unit, e2e).
# As root it installs missing system packages (Chromium for the e2e tests; strace, perf, trace-cmd, Prometheus and
# node_exporter for the collector's tests against the real tools; redis-server, nginx and stress-ng for tlab bench);
# otherwise it says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# apt-get fails at once when another apt or dpkg (unattended-upgrades, a package manager) holds its lock; wait for
# it instead, up to 10 minutes. DPkg::Lock::Timeout covers dpkg's lock; apt-get update's lists lock is not covered
# by it on every apt version, so a refusal that names a lock is retried too.
apt_wait() {
  local i out
  for i in $(seq 1 120); do
    if out=$(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=10 "$@" 2>&1); then return 0; fi
    if ! grep -qiE 'could not get lock|unable to acquire|another process using it' <<<"$out"; then printf '%s\n' "$out" >&2; return 1; fi
    [ "$i" = 1 ] && echo "Another apt or dpkg holds the package lock; waiting for it (up to 10 minutes)..." >&2
    sleep 5
  done
  echo "The apt/dpkg lock was still held after 10 minutes; try again when the other package manager has finished." >&2
  return 1
}

missing=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/nonexistent}" ] || missing+=(chromium)
command -v strace >/dev/null 2>&1 || missing+=(strace)
command -v perf >/dev/null 2>&1 || missing+=(linux-perf)
command -v trace-cmd >/dev/null 2>&1 || missing+=(trace-cmd)
# A real Prometheus and node_exporter for the Prometheus import tests.
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
command -v prometheus-node-exporter >/dev/null 2>&1 || missing+=(prometheus-node-exporter)
# Real services and interference for the tlab bench tests (started on loopback with private configs, never as system services).
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v stress-ng >/dev/null 2>&1 || missing+=(stress-ng)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${missing[*]}"
    apt_wait update -qq
    # Packages such as redis-server and nginx start their system service on install; the tests start their own
    # instances on free loopback ports, so a policy-rc.d that refuses every start is in place during the install
    # (unless the machine already has one, as Docker images do), and removed after it.
    policy=/usr/sbin/policy-rc.d
    own_policy=
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\n# tlab scripts/test-all.sh: no service starts during this install\nexit 101\n' > "$policy"
      chmod 755 "$policy"
      own_policy=1
    fi
    apt_wait install -y -qq "${missing[@]}" || { [ -n "$own_policy" ] && rm -f "$policy"; exit 1; }
    [ -n "$own_policy" ] && rm -f "$policy"
    # Belt and braces under systemd: the services just installed are not left running (they stay enabled for boot).
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
      for unit in redis-server nginx; do
        case " ${missing[*]} " in *" $unit "*) systemctl stop "$unit" >/dev/null 2>&1 || true ;; esac
      done
    fi
  else
    echo "Missing system packages: ${missing[*]} (install them with: sudo apt-get install ${missing[*]})" >&2
  fi
fi

npm ci --no-audit --no-fund --loglevel=error
npm test
