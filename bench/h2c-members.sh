#!/usr/bin/env bash
# HTTP/1.1 members beside h2c:// members of the same nginx, through one Portico: wrk on CPU 0 loads /h1/PATH then
# /h2c/PATH, ROUNDS times, interleaved; prints req/s and Portico's CPU µs per request for each.
#   bench/h2c-members.sh [PATH]     (default /small; build first: mvn -q package -DskipTests)
# Needs: apt-get install -y nginx wrk. Everything started here is stopped by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
P="${1:-/small}" ROUNDS="${ROUNDS:-4}" DURATION="${DURATION:-5}" CONNS="${CONNS:-64}"
TMP="$(mktemp -d -t portico-h2c-XXXXXX)"; PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" 18681 18682
# a third nginx server speaking h2c (prior knowledge) from the same docroot
sed -i "s|^}\$|  server { listen 127.0.0.1:18683 http2; root $TMP/docroot; add_header X-Backend h2c always; }\n}|" "$TMP/nginx/nginx.conf"
kill "${PIDS[0]}"; wait "${PIDS[0]}" 2>/dev/null || true; PIDS=()
taskset -c 1 nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" & PIDS+=($!)
cat > "$TMP/portico.xml" <<XML
<portico xmlns="urn:portico:descriptor:1">
  <worker url="http://127.0.0.1:18681" max="256"/>
  <worker url="h2c://127.0.0.1:18683" max="8"/>
  <pass path="/h1/" to="http://127.0.0.1:18681/"/>
  <pass path="/h2c/" to="h2c://127.0.0.1:18683/"/>
</portico>
XML
taskset -c 1 java ${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseG1GC} -jar "$HERE/../target/portico-standalone.jar" \
  --config "$TMP/portico.xml" --port 18690 --host 127.0.0.1 > "$TMP/portico.log" 2>&1 & PIDS+=($!)
JP=$!
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:18690/h2c$P" && break; sleep 0.5; done
curl -fsS -o /dev/null "http://127.0.0.1:18690/h2c$P" || { cat "$TMP/portico.log"; exit 1; }
tick=$(getconf CLK_TCK)
run() { # prefix -> "req/s us/req"
  local c0 c1 out n
  c0=$(awk '{print $14+$15}' "/proc/$JP/stat")
  out=$(taskset -c 0 wrk -t2 -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:18690$1$P")
  c1=$(awk '{print $14+$15}' "/proc/$JP/stat")
  n=$(awk '/requests in/{print $1}' <<< "$out")
  echo "$(awk '/Requests\/sec/{print $2}' <<< "$out") $(( (c1 - c0) * 1000000 / tick / n ))"
}
run /h1 > /dev/null; run /h2c > /dev/null   # warm-up
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r  http/1.1 members: $(run /h1) | h2c members: $(run /h2c)   (req/s us/req)"
done
