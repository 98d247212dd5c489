#!/usr/bin/env bash
# 10,000 idle keep-alive client connections held open through Portico: reports threads and RSS.
# Starts one backend (the demo's) and Portico with the bench JVM options; stops both by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${N:-10000}"
ulimit -n 65536 || true
cd "$HERE/.."
[ -f target/portico-standalone.jar ] || mvn -q -B package -DskipTests
PORT="${PORT:-18190}"
java ${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseG1GC} -jar target/portico-standalone.jar --demo --port "$PORT" > /tmp/portico-idle.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/small" >/dev/null && break; sleep 0.2; done
echo "Portico pid $pid, threads before: $(awk '/Threads/{print $2}' /proc/$pid/status), RSS before: $(awk '/VmRSS/{print $2 " " $3}' /proc/$pid/status)"
java "$HERE/IdleConnections.java" "$PORT" "$pid" "$N" /small
