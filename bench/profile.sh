#!/usr/bin/env bash
# Portico alone under the harness's load shape, for finding costs between harness runs: two nginx
# backends and Portico share CPU 1, wrk runs on CPU 0. Prints, per measured run, requests/s, proxy
# CPU µs per request, context switches per request and the busiest threads (CPU ticks and switches
# per 1,000 requests). Much quicker than ../shared/bench/run.sh, but judge claims with that one.
#
#   bench/profile.sh [path ...]          default: /small; e.g. bench/profile.sh /small /1m
#   WARMUP=20 DURATION=10 CONNS=64 JFR=1 JAVA_OPTS=... bench/profile.sh /small
#
# JFR=1 records the measured runs to target/profile.jfr (jfr print --events jdk.ExecutionSample ...).
# ASPROF=/path/to/libasyncProfiler.so (async-profiler, e.g. unzipped from Maven Central's
# tools.profiler:async-profiler jar) profiles each measured run, kernel frames included, into
# target/profile-<path>.collapsed (one stack per line: frames;...;leaf count).
# Needs: apt-get install -y nginx wrk. Builds nothing: run `mvn -q package -DskipTests` first.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/../target/portico-standalone.jar"
[ -f "$JAR" ] || { echo "profile: $JAR is missing: run mvn -q package -DskipTests" >&2; exit 1; }
WARMUP="${WARMUP:-20}" DURATION="${DURATION:-10}" CONNS="${CONNS:-64}"
B1="${B1_PORT:-18181}" B2="${B2_PORT:-18182}" PORT="${PORT:-18190}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError}"
PATHS=("$@"); [ ${#PATHS[@]} -gt 0 ] || PATHS=(/small)

TMP="$(mktemp -d -t portico-profile-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" "$B1" "$B2"

JFR_OPT=""
[ "${JFR:-0}" = 1 ] && JFR_OPT="-XX:StartFlightRecording=filename=$HERE/../target/profile.jfr,settings=profile,delay=${WARMUP}s"
# shellcheck disable=SC2086
env PORT="$PORT" BACKENDS="${BACKENDS:-127.0.0.1:$B1,127.0.0.1:$B2}" JAVA_OPTS="$JAVA_OPTS $JFR_OPT" \
    taskset -c 1 "$HERE/portico-bench.sh" > "$TMP/portico.log" 2>&1 & PIDS+=($!)
PPID_="${PIDS[-1]}"
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/small" && break; sleep 0.5; done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/small" || { cat "$TMP/nginx/error.log" "$TMP/portico.log"; exit 1; }
JPID="$(pgrep -P "$PPID_" java || echo "$PPID_")"

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$JPID/stat"; }
sys_ticks() { awk '{ sub(/^.*\) /, ""); print $13 }' "/proc/$JPID/stat"; }
switches() { cat /proc/"$JPID"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s }'; }
threads_snap() { # tid name ticks switches
  for t in /proc/"$JPID"/task/*; do
    [ -r "$t/stat" ] || continue
    printf '%s %s %s %s\n' "${t##*/}" "$(tr ' ' '_' < "$t/comm")" \
      "$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$t/stat")" \
      "$(awk '/ctxt_switches/ { s += $2 } END { print s }' "$t/status")"
  done 2>/dev/null
}
HZ="$(getconf CLK_TCK)"

for p in "${PATHS[@]}"; do
  c="$CONNS"; [ "$p" = /1m ] && c="${CONNS_1M:-8}"
  taskset -c 0 wrk -t2 -c"$c" -d"${WARMUP}s" "http://127.0.0.1:$PORT$p" > /dev/null
  sleep "${GAP:-0}"
  t0="$(ticks)"; y0="$(sys_ticks)"; s0="$(switches)"; threads_snap > "$TMP/th0"
  out="$HERE/../target/profile-${p//\//}.collapsed"
  [ -n "${ASPROF:-}" ] && jcmd "$JPID" JVMTI.agent_load "$ASPROF" "\"start,event=cpu,${ASPROF_OPTS:-}interval=${ASPROF_INTERVAL:-500us}\"" > /dev/null
  taskset -c 0 wrk -t2 -c"$c" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT$p" > "$TMP/wrk.txt"
  [ -n "${ASPROF:-}" ] && jcmd "$JPID" JVMTI.agent_load "$ASPROF" "\"stop,file=$out,collapsed\"" > /dev/null
  t1="$(ticks)"; y1="$(sys_ticks)"; s1="$(switches)"; threads_snap > "$TMP/th1"
  reqs="$(awk '/requests in/ { print $1 }' "$TMP/wrk.txt")"
  p50="$(awk '$1 == "50%" { print $2 }' "$TMP/wrk.txt")"
  awk -v p="$p" -v c="$c" -v r="$reqs" -v d="$DURATION" -v t="$((t1 - t0))" -v y="$((y1 - y0))" -v s="$((s1 - s0))" -v hz="$HZ" -v p50="$p50" \
    -v n="$(ls /proc/"$JPID"/task | wc -l)" 'BEGIN {
      printf "%-7s c=%-3d %8.0f req/s  p50 %-8s proxy CPU %6.1f us/req (system %4.1f)  switches %5.2f/req  threads %d\n",
        p, c, r / d, p50, t * 1e6 / hz / r, y * 1e6 / hz / r, s / r, n }'
  # threads grouped by name without their number: pool threads share the work between them
  join <(sort "$TMP/th0") <(sort "$TMP/th1") | awk -v r="$reqs" -v hz="$HZ" '
      { name = $2; sub(/[-_#]?[0-9]+$/, "", name); dt[name] += $6 - $3; ds[name] += $7 - $4; n[name]++ }
      END { for (k in dt) if (dt[k] > 0 || ds[k] > r / 100)
              printf "    %-24s x%-4d %7.1f us/req %8.1f switches/1k req\n", k, n[k], dt[k] * 1e6 / hz / r, ds[k] * 1000 / r }' \
    | sort -k3 -rn | head -"${TOP:-8}"
done
