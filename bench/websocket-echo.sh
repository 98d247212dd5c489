#!/usr/bin/env bash
# WebSocket echo through Portico beside plain HTTP/1.1 GETs through Portico (and both straight to the backend).
# Usage: bench/websocket-echo.sh [CONNECTIONS=16] [SECONDS=10] [MESSAGE_BYTES=64]   (needs wrk)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/.."
[ -f target/portico-standalone.jar ] || mvn -q -B package -DskipTests -DskipDistributions
mvn -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test >/dev/null
CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
java -cp "$CP" "$HERE/WebSocketEcho.java" "${1:-16}" "${2:-10}" "${3:-64}"
