#!/usr/bin/env bash
# bylatency vs byrequests when one of three members answers 10x slower (2 ms, 2 ms, 20 ms).
# For each lbmethod: start Portico in front of the three backends, drive it with wrk, report the
# latency percentiles and how the requests were shared. Everything on 127.0.0.1; stopped by PID.
# Needs wrk (apt-get install -y wrk) and a built jar (mvn -q package -DskipTests).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/.."
[ -f target/portico-standalone.jar ] || mvn -q -B package -DskipTests
DURATION="${DURATION:-20}"; CONNS="${CONNS:-16}"; PORT="${PORT:-18200}"
B=(18201 18202 18203)
java -Dsun.net.httpserver.nodelay=true "$HERE/SlowBackends.java" "${B[0]}:2" "${B[1]}:2" "${B[2]}:20" > /tmp/slow-backends.log 2>&1 &
backends=$!
pids=("$backends")
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q ready /tmp/slow-backends.log 2>/dev/null && break; sleep 0.1; done
for method in byrequests bylatency; do
  d="$(mktemp -t bylatency-XXXXXX.xml)"
  cat > "$d" <<XML
<portico xmlns="urn:portico:descriptor:1">
  <balancer name="three" lbmethod="$method">
    <member url="http://127.0.0.1:${B[0]}"/>
    <member url="http://127.0.0.1:${B[1]}"/>
    <member url="http://127.0.0.1:${B[2]}"/>
  </balancer>
  <pass path="/" to="balancer://three/"/>
</portico>
XML
  java -Xms256m -Xmx512m -jar target/portico-standalone.jar --config "$d" --port "$PORT" > "/tmp/bylatency-$method.log" 2>&1 &
  portico=$!
  pids+=("$portico")
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.2; done
  wrk -t2 -c"$CONNS" -d5s "http://127.0.0.1:$PORT/" >/dev/null   # warm-up
  echo "== $method: wrk -t2 -c$CONNS -d${DURATION}s --latency"
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/" | grep -E "Latency|50%|75%|90%|99%|Requests/sec"
  echo -n "share of 300 sequential requests (2 ms, 2 ms, 20 ms): "
  for _ in $(seq 1 300); do curl -s -o /dev/null -D - "http://127.0.0.1:$PORT/" | tr -d '\r' | awk 'tolower($1)=="x-backend:"{print $2}'; done | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}'; echo
  kill "$portico"; wait "$portico" 2>/dev/null || true
done
