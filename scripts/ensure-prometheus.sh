#!/usr/bin/env bash
# Makes sure Debian's Prometheus 2.42 (prometheus + promtool) is installed for bench/promql.bench.ts,
# which compares Vigil's PromQL engine against it. Installs the `prometheus` package with apt when it is
# missing and we are root; otherwise says what to do. Never starts the packaged service: the benchmark
# runs its own instance on a temp data dir and a free loopback port.
set -euo pipefail

if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  prometheus --version 2>&1 | sed -n '1p'
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "prometheus/promtool missing: run 'sudo apt-get install prometheus' (Debian 12 ships 2.42)" >&2
  exit 1
fi

# policy-rc.d exit 101 keeps the package's postinst from starting the system service (no init here,
# and a second Prometheus on :9090 is not wanted anyway).
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  created_policy=true
fi
trap 'if [ "$created_policy" = true ]; then rm -f "$policy"; fi' EXIT

apt-cache policy prometheus | sed -n '1,3p' # sed reads to the end: no SIGPIPE under pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus >/dev/null
prometheus --version 2>&1 | sed -n '1p'
