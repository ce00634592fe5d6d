#!/usr/bin/env bash
# Installs the Debian packages the tests compare Vigil with, when missing and we are root:
#  - prometheus (2.42, with promtool): PromQL answers, remote write and the PromQL benchmark;
#  - python3-prometheus-client: the seed's prometheus_client exporter that scrape tests scrape
#    (imported with /usr/bin/python3, not the python3 first on PATH);
#  - prometheus-alertmanager (0.25): alert forwarding is checked against a real Alertmanager.
# Without root it says what to do; tests that need a missing package skip, saying so.
# Never starts the packaged services: tests run their own instances on temp dirs and free ports.
set -euo pipefail

missing=()
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then missing+=(prometheus); fi
if ! /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then missing+=(python3-prometheus-client); fi
if ! command -v prometheus-alertmanager >/dev/null; then missing+=(prometheus-alertmanager); fi

if [ ${#missing[@]} -eq 0 ]; then
  prometheus --version 2>&1 | sed -n '1p'
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: run 'sudo apt-get install ${missing[*]}'" >&2
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

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
prometheus --version 2>&1 | sed -n '1p'
