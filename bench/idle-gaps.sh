#!/usr/bin/env bash
# What an idle spell costs the run after it: in the shared harness each target waits while the others run, so every
# measured run of Portico follows a minute or more without load. Warms one JVM as the harness does (10 s each of
# /small, /16k, /1m), then ROUNDS times: GAP seconds idle, then SLICES short wrk runs of SLICE seconds on PATH,
# printing proxy CPU µs per request and p99 per slice. Same CPU split as bench/profile.sh (wrk on CPU 0, Portico and
# two nginx backends on CPU 1).
#
#   bench/idle-gaps.sh [path]            default: /16k
#   GAP=60 ROUNDS=3 SLICES=5 SLICE=2 JAVA_OPTS=... bench/idle-gaps.sh /small
#
# Needs: apt-get install -y nginx wrk. Builds nothing: run `mvn -q package -DskipTests` first.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/../target/portico-standalone.jar"
[ -f "$JAR" ] || { echo "idle-gaps: $JAR is missing: run mvn -q package -DskipTests" >&2; exit 1; }
GAP="${GAP:-60}" ROUNDS="${ROUNDS:-3}" SLICES="${SLICES:-5}" SLICE="${SLICE:-2}"
B1="${B1_PORT:-18181}" B2="${B2_PORT:-18182}" PORT="${PORT:-18190}"
PATH_UNDER_TEST="${1:-/16k}"

TMP="$(mktemp -d -t portico-gaps-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" "$B1" "$B2"
start_portico "$TMP" "$PORT" /small "$B1" "$B2" "$JAR"
pid="$PORTICO_JAVA_PID"

# load NAME PATH SECONDS: one wrk run; prints µs of proxy CPU per request and wrk's p99
load() {
  local before after out reqs
  before="$(cpu_ticks "$pid")"
  out="$(taskset -c 0 wrk -t2 -c"$(wrk_conns "$2")" -d"$3s" --latency "http://127.0.0.1:$PORT$2")"
  after="$(cpu_ticks "$pid")"
  reqs="$(echo "$out" | awk '/requests in/ {print $1}')"
  printf '%-10s %-6s %7.1f us/req  p99 %s\n' "$1" "$2" \
    "$(echo "($after - $before) * 1000000 / $(getconf CLK_TCK) / $reqs" | bc -l)" "$(echo "$out" | awk '$1 == "99%" {print $2}')"
}

for p in /small /16k /1m; do load warm-up "$p" 10; done
for r in $(seq 1 "$ROUNDS"); do
  sleep "$GAP"
  for s in $(seq 1 "$SLICES"); do load "gap$r.$s" "$PATH_UNDER_TEST" "$SLICE"; done
done
