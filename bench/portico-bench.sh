#!/usr/bin/env bash
# Starts Portico for ../shared/bench/run.sh: listens on 127.0.0.1:$PORT, balances every path
# round-robin over $BACKENDS (host:port,host:port) with Location rewritten back, stays in the
# foreground and exits on SIGTERM. Builds nothing: run `mvn -q package -DskipTests` first.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/../target/portico-standalone.jar"
: "${PORT:?PORT is required}" "${BACKENDS:?BACKENDS is required}"
[ -f "$JAR" ] || { echo "portico-bench: $JAR is missing: run mvn -q package -DskipTests" >&2; exit 1; }

descriptor="$(mktemp -t portico-bench-XXXXXX.xml)"
{
  echo '<portico xmlns="urn:portico:descriptor:1">'
  echo '  <balancer name="bench" lbmethod="byrequests">'
  IFS=',' read -ra members <<< "$BACKENDS"
  for m in "${members[@]}"; do
    echo "    <member url=\"http://$m\" max=\"256\"/>"
  done
  echo '  </balancer>'
  echo '  <pass path="/" to="balancer://bench/"/>'
  echo '</portico>'
} > "$descriptor"

# shellcheck disable=SC2086
exec "${JAVA:-java}" ${JAVA_OPTS:-} -jar "$JAR" --config "$descriptor" --port "$PORT" --host 127.0.0.1
