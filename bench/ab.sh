#!/usr/bin/env bash
# A/B comparison of two Portico builds under the harness's load shape, interleaved so that machine
# drift hits both alike: both run at once on CPU 1 beside two nginx backends, wrk on CPU 0 loads
# one, then the other, ROUNDS times per path; prints proxy CPU µs/req and wrk's p99 per run and the median of each.
#
#   bench/ab.sh A.jar B.jar [path ...]       default: /small /16k
#   ROUNDS=6 DURATION=5 WARMUP=20 CONNS=64 JAVA_OPTS=... bench/ab.sh /tmp/a.jar target/portico-standalone.jar
#   A_JAVA=java B_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/ab.sh x.jar x.jar   (one build, two JDKs)
#   B_OPTS=-Dportico.http-channel=blocking bench/ab.sh x.jar x.jar   (one build, a switch on one side: A_OPTS, B_OPTS
#   are added to JAVA_OPTS)
#
# Needs: apt-get install -y nginx wrk. Each jar is started as bench/portico-bench.sh starts the
# standalone jar; everything started here is stopped by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 2 ] || { sed -n 2,10p "$0"; exit 2; }
JARS=("$1" "$2"); shift 2
PATHS=("$@"); [ ${#PATHS[@]} -gt 0 ] || PATHS=(/small /16k)
ROUNDS="${ROUNDS:-6}" DURATION="${DURATION:-5}" WARMUP="${WARMUP:-20}" CONNS="${CONNS:-64}"
B1="${B1_PORT:-18281}" B2="${B2_PORT:-18282}" PORTS=("${A_PORT:-18291}" "${B_PORT:-18292}")
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError}"

TMP="$(mktemp -d -t portico-ab-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" "$B1" "$B2"

JPIDS=()
for i in 0 1; do
  # portico-bench.sh runs the jar next to it: give each build its own copy of the script's layout
  mkdir -p "$TMP/$i/bench" "$TMP/$i/target"
  cp "$HERE/portico-bench.sh" "$TMP/$i/bench/"; cp "${JARS[$i]}" "$TMP/$i/target/portico-standalone.jar"
  JV=("${A_JAVA:-java}" "${B_JAVA:-java}") JO=("${A_OPTS:-}" "${B_OPTS:-}")
  env PORT="${PORTS[$i]}" BACKENDS="127.0.0.1:$B1,127.0.0.1:$B2" JAVA_OPTS="$JAVA_OPTS ${JO[$i]}" JAVA="${JV[$i]}" \
      taskset -c 1 "$TMP/$i/bench/portico-bench.sh" > "$TMP/portico-$i.log" 2>&1 & PIDS+=($!)
  pp=$!
  for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:${PORTS[$i]}/small" && break; sleep 0.5; done
  curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[$i]}/small" || { cat "$TMP/portico-$i.log"; exit 1; }
  JPIDS+=("$(pgrep -P "$pp" java || echo "$pp")")
done

HZ="$(getconf CLK_TCK)"

for p in "${PATHS[@]}"; do
  for i in 0 1; do taskset -c 0 wrk -t2 -c"$(wrk_conns "$p")" -d"${WARMUP}s" "http://127.0.0.1:${PORTS[$i]}$p" > /dev/null; done
done
for p in "${PATHS[@]}"; do
  : > "$TMP/res"
  for r in $(seq 1 "$ROUNDS"); do
    for k in 0 1; do
      i=$(( (r + k) % 2 ))   # alternate which build goes first
      t0="$(cpu_ticks "${JPIDS[$i]}")"
      taskset -c 0 wrk -t2 -c"$(wrk_conns "$p")" -d"${DURATION}s" --latency "http://127.0.0.1:${PORTS[$i]}$p" > "$TMP/wrk.txt"
      t1="$(cpu_ticks "${JPIDS[$i]}")"
      reqs="$(awk '/requests in/ { print $1 }' "$TMP/wrk.txt")"
      # wrk prints p99 as e.g. 4.90ms or 812.00us: kept in ms
      p99="$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
                                 print (u == "us" ? v / 1000 : u == "s" ? v * 1000 : v) }' "$TMP/wrk.txt")"
      awk -v i="$i" -v t="$((t1 - t0))" -v r="$reqs" -v hz="$HZ" -v q="$p99" 'BEGIN { printf "%s %.1f %.0f %.2f\n", i ? "B" : "A", t * 1e6 / hz / r, r, q }' >> "$TMP/res"
    done
  done
  echo "$p (µs/req per run; A=${JARS[0]##*/} B=${JARS[1]##*/})"
  for v in A B; do
    for col in 2 4; do
      awk -v v="$v" -v c="$col" '$1 == v { print $c }' "$TMP/res" | sort -n | awk -v v="$v" -v c="$col" '
        { a[NR] = $1; s = s " " $1 } END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
          printf "  %s %s median %6.2f   runs:%s\n", v, c == 2 ? "µs/req " : "p99 ms ", m, s }'
    done
  done
done
