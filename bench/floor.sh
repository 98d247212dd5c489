#!/usr/bin/env bash
# How far Portico is from what a servlet proxy on Jetty 12 can cost (issue #16): the standalone jar, Jetty's
# AsyncProxyServlet (the harness's jetty-async peer, built from ../shared/bench/jetty-peer), and the two floors of
# bench/OneLoopFloor.java (a servlet answering 100 bytes itself; a proxy whose backend connections share the server's
# selector), all started at once on CPU 1 beside two nginx backends and measured in interleaved windows (wrk on
# CPU 0, order rotated per round) so that machine drift hits all alike. Prints proxy CPU µs/request, context
# switches/request and p99 per window, then the median of each.
#
#   bench/floor.sh [path ...]        default /small /16k; ROUNDS=5 DURATION=8 WARMUP=30 CONNS=64 JAR=...
#
# Needs: apt-get install -y nginx wrk; mvn (once, for the jetty peer). Everything started here is stopped by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PATHS=("$@"); [ ${#PATHS[@]} -gt 0 ] || PATHS=(/small /16k)
ROUNDS="${ROUNDS:-5}" DURATION="${DURATION:-8}" WARMUP="${WARMUP:-30}" CONNS="${CONNS:-64}"
JAR="${JAR:-$HERE/../target/portico-standalone.jar}" PEER_SRC="${PEER_SRC:-$HERE/../../shared/bench/jetty-peer}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseG1GC}"
B1=18881 B2=18882 BACKENDS="127.0.0.1:18881,127.0.0.1:18882"
[ -f "$JAR" ] || { echo "floor: $JAR is missing: run mvn -q package -DskipTests" >&2; exit 1; }

TMP="$(mktemp -d -t portico-floor-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" "$B1" "$B2"

NAMES=() PORTS=() JPIDS=()
start_portico "$TMP" 18890 "${PATHS[0]}" "$B1" "$B2" "$JAR"
NAMES+=(portico) PORTS+=(18890) JPIDS+=("$PORTICO_JAVA_PID")
mkdir -p "$TMP/floor"
javac -nowarn -d "$TMP/floor" -cp "$JAR" "$HERE/OneLoopFloor.java" 2>&1 | grep -v '^Note:' || true
for mode in oneloop direct; do
  port=$((18891 + ${#NAMES[@]} - 1))
  # shellcheck disable=SC2086
  env PORT="$port" BACKENDS="$BACKENDS" MODE="$mode" taskset -c 1 java $JAVA_OPTS -cp "$JAR:$TMP/floor" OneLoopFloor \
      > "$TMP/$mode.log" 2>&1 & PIDS+=($!)
  NAMES+=("floor-$mode") PORTS+=("$port") JPIDS+=($!)
done
if [ -d "$PEER_SRC" ] && command -v mvn > /dev/null; then
  cp -r "$PEER_SRC" "$TMP/peer"
  if mvn -q -B -ntp -f "$TMP/peer/pom.xml" package -DskipTests > "$TMP/peer-build.log" 2>&1; then
    # shellcheck disable=SC2086
    env PORT=18894 BACKENDS="$BACKENDS" MODE=async taskset -c 1 java $JAVA_OPTS -jar "$TMP"/peer/target/jetty-peer-*.jar \
        > "$TMP/peer.log" 2>&1 & PIDS+=($!)
    NAMES+=(jetty-async) PORTS+=(18894) JPIDS+=($!)
  else
    echo "floor: the jetty peer did not build ($TMP/peer-build.log); measuring without it" >&2
  fi
fi
for i in "${!NAMES[@]}"; do
  for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:${PORTS[$i]}${PATHS[0]}" && break; sleep 0.5; done
  curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[$i]}${PATHS[0]}" || { echo "floor: ${NAMES[$i]} does not answer" >&2; exit 1; }
done

switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s }'; }
HZ="$(getconf CLK_TCK)" N=${#NAMES[@]}
for p in "${PATHS[@]}"; do
  for i in "${!NAMES[@]}"; do taskset -c 0 wrk -t2 -c"$CONNS" -d"${WARMUP}s" "http://127.0.0.1:${PORTS[$i]}$p" > /dev/null; done
done
for p in "${PATHS[@]}"; do
  : > "$TMP/res"
  for r in $(seq 1 "$ROUNDS"); do
    for k in $(seq 0 $((N - 1))); do
      i=$(( (r + k) % N ))
      t0="$(cpu_ticks "${JPIDS[$i]}")" c0="$(switches "${JPIDS[$i]}")"
      taskset -c 0 wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:${PORTS[$i]}$p" > "$TMP/wrk.txt"
      t1="$(cpu_ticks "${JPIDS[$i]}")" c1="$(switches "${JPIDS[$i]}")"
      reqs="$(awk '/requests in/ { print $1 }' "$TMP/wrk.txt")"
      p99="$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else v = v * 1000; print v }' "$TMP/wrk.txt")"
      awk -v n="${NAMES[$i]}" -v t="$((t1 - t0))" -v c="$((c1 - c0))" -v r="$reqs" -v hz="$HZ" -v p99="$p99" \
          'BEGIN { printf "%s %.1f %.2f %.2f\n", n, t * 1e6 / hz / r, c / r, p99 }' >> "$TMP/res"
    done
  done
  echo "$p: proxy CPU µs/req, context switches/req, p99 ms (median of $ROUNDS windows; runs of CPU µs/req)"
  for n in "${NAMES[@]}"; do
    awk -v n="$n" '$1 == n' "$TMP/res" | awk -v n="$n" '
      function med(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
      { c[NR] = $2; s[NR] = $3; q[NR] = $4; runs = runs " " $2 }
      END { printf "  %-14s %6.1f µs  %5.2f cs  p99 %5.2f ms   runs:%s\n", n, med(c, NR), med(s, NR), med(q, NR), runs }'
  done
done
