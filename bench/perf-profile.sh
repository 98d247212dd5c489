#!/usr/bin/env bash
# Where the proxy's CPU goes at steady state, without async-profiler: Linux perf samples the standalone
# jar (CPU 1, beside two nginx backends; wrk on CPU 0) after a warm-up; the JIT's symbols come from
# `jcmd Compiler.perfmap`. Prints the share by code (kernel, JIT-compiled Java by library, JVM), by
# thread, and the top symbols; the raw data stays in target/perf-<path>.data.
#
#   bench/perf-profile.sh [path]     default /small; JAR=... WARMUP=30 DURATION=10 CONNS=64
#
# Needs: apt-get install -y nginx wrk linux-perf. Everything started here is stopped by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
P="${1:-/small}" JAR="${JAR:-$HERE/../target/portico-standalone.jar}"
WARMUP="${WARMUP:-30}" DURATION="${DURATION:-10}" CONNS="${CONNS:-64}"
B1="${B1_PORT:-18581}" B2="${B2_PORT:-18582}" PORT="${PORT:-18590}"
OUT="$HERE/../target/perf-${P//\//}.data"
[ -f "$JAR" ] || { echo "perf-profile: $JAR is missing: run mvn -q package -DskipTests" >&2; exit 1; }

TMP="$(mktemp -d -t portico-perf-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" "$B1" "$B2"
mkdir -p "$(dirname "$OUT")"
start_portico "$TMP" "$PORT" "$P" "$B1" "$B2" "$JAR"
jp="$PORTICO_JAVA_PID"
taskset -c 0 wrk -t2 -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:$PORT$P" > /dev/null
taskset -c 0 wrk -t2 -c"$CONNS" -d"$((DURATION + 2))s" "http://127.0.0.1:$PORT$P" > "$TMP/wrk.txt" & wp=$!
sleep 1
perf record -F 1999 -p "$jp" -o "$OUT" -- sleep "$DURATION" > /dev/null 2>&1
wait "$wp"
jcmd "$jp" Compiler.perfmap > /dev/null   # /tmp/perf-<pid>.map, read by perf report
echo "$P: $(awk '/Requests\/sec/ { print $2 }' "$TMP/wrk.txt") req/s"
report() { perf report -i "$OUT" --no-children -g none --stdio "$@" 2> /dev/null | grep '%'; }
report --sort sym > "$TMP/sym.txt"
echo "by code:"
awk '{ p = $1 + 0
       if ($0 ~ /\[k\]/) { k += p; next }
       i = index($0, "("); n = split(i ? substr($0, 1, i - 1) : "", w, " "); m = n ? w[n] : ""   # the method, qualified
       if (m ~ /^org\.portico\./) o += p; else if (m ~ /^org\.eclipse\.jetty\./) j += p
       else if (m ~ /^org\.apache\.hc\./) h += p; else if (m ~ /^(java|javax|sun|jdk)\./) d += p; else r += p }
     END { printf "  kernel %.1f%%  Jetty %.1f%%  HttpClient5 %.1f%%  Portico %.1f%%  JDK %.1f%%  other (JVM, libc, stubs) %.1f%%\n", k, j, h, o, d, r }' "$TMP/sym.txt"
echo "by thread:"; report --sort comm | head -6
echo "top symbols:"; head -"${TOP:-25}" "$TMP/sym.txt"
rm -f "/tmp/perf-$jp.map"
