#!/usr/bin/env bash
# Portico beside httpd, nginx, HAProxy and Jetty's proxy servlets, in one invocation of the shared
# harness (../shared/bench/run.sh; its README explains the method). Extra arguments go to the harness,
# e.g. --quick for a smoke run, --tests "small", --targets "direct httpd jetty-async".
# Needs: apt-get install -y apache2 nginx haproxy wrk curl
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HARNESS="${HARNESS:-$HERE/../../shared/bench/run.sh}"
[ -x "$HARNESS" ] || HARNESS="$HERE/../../shared/bench/run.sh"
(cd "$HERE/.." && mvn -q -B package -DskipTests)
export PORTICO_CMD="$HERE/portico-bench.sh"
exec bash "$HARNESS" --targets "${TARGETS:-direct httpd jetty-async jetty-bal haproxy}" "$@"
