#!/usr/bin/env bash
# System calls per proxied request: the standalone jar on CPU 1 beside two nginx backends, wrk on CPU 0,
# strace -c -f over a few seconds of load after a warm-up. strace slows the JVM, so the threads batch
# differently than without it: read the counts as the shape of a request (how many wake-ups, reads,
# writes, interest changes), not as a figure to compare with other tools' CPU time.
#
#   bench/syscalls.sh [path]          default /small; JAR=... WARMUP=20 DURATION=5 CONNS=64
#
# Needs: apt-get install -y nginx wrk strace. Everything started here is stopped by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
P="${1:-/small}" JAR="${JAR:-$HERE/../target/portico-standalone.jar}"
WARMUP="${WARMUP:-20}" DURATION="${DURATION:-5}" CONNS="${CONNS:-64}"
B1="${B1_PORT:-18781}" B2="${B2_PORT:-18782}" PORT="${PORT:-18790}"
[ -f "$JAR" ] || { echo "syscalls: $JAR is missing: run mvn -q package -DskipTests" >&2; exit 1; }

TMP="$(mktemp -d -t portico-syscalls-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" "$B1" "$B2"
start_portico "$TMP" "$PORT" "$P" "$B1" "$B2" "$JAR"
jp="$PORTICO_JAVA_PID"
taskset -c 0 wrk -t2 -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:$PORT$P" > /dev/null
strace -c -f -p "$jp" -o "$TMP/strace.txt" 2> /dev/null & sp=$!
sleep 1
taskset -c 0 wrk -t2 -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$PORT$P" > "$TMP/wrk.txt"
kill -INT "$sp"; wait "$sp" || true
n="$(awk '/requests in/ { print $1 }' "$TMP/wrk.txt")"
echo "$P: $n requests under strace; system calls per request:"
awk -v n="$n" '$4 ~ /^[0-9]+$/ && $NF != "total" { printf "  %-14s %6.2f\n", $NF, $4 / n }' "$TMP/strace.txt" | sort -k2 -rn | head -12
