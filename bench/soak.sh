#!/usr/bin/env bash
# A soak of the standalone jar: wrk keeps Portico busy for SOAK seconds (default 600) through a balancer of
# two nginx backends, in slices of SLICE seconds; after each slice it prints requests/s, non-2xx responses,
# socket errors, the heap in use after a full GC, the thread count and the RSS. A leak shows as a heap,
# thread or RSS column that keeps growing; a correct proxy shows flat columns and no non-2xx.
#
#   bench/soak.sh                      10 minutes on /small, 64 connections
#   SOAK=120 SLICE=20 PATHNAME=/16k CONNS=32 bench/soak.sh
#
# Needs: apt-get install -y nginx wrk; and `mvn -q package -DskipTests` first. Binds the ports below
# on 127.0.0.1 (override with B1_PORT, B2_PORT, PORT) and stops everything it starts.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/../target/portico-standalone.jar"
[ -f "$JAR" ] || { echo "soak: $JAR is missing: run mvn -q package -DskipTests" >&2; exit 1; }
command -v wrk > /dev/null && command -v nginx > /dev/null || { echo "soak: needs wrk and nginx (apt-get install -y wrk nginx)" >&2; exit 1; }
SOAK="${SOAK:-600}" SLICE="${SLICE:-60}" CONNS="${CONNS:-64}" PATHNAME="${PATHNAME:-/small}"
B1="${B1_PORT:-18281}" B2="${B2_PORT:-18282}" PORT="${PORT:-18290}"

TMP="$(mktemp -d -t portico-soak-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" "$B1" "$B2"

cat > "$TMP/soak.xml" <<XML
<portico xmlns="urn:portico:descriptor:1">
  <balancer name="soak">
    <member url="http://127.0.0.1:$B1"/>
    <member url="http://127.0.0.1:$B2"/>
  </balancer>
  <pass path="/" to="balancer://soak/"/>
</portico>
XML
java ${JAVA_OPTS:--Xmx256m -XX:+UseG1GC} -jar "$JAR" --config "$TMP/soak.xml" --port "$PORT" > "$TMP/portico.log" 2>&1 &
PIDS+=($!)
JPID="${PIDS[-1]}"
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$PORT$PATHNAME" && break; sleep 0.5; done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT$PATHNAME" || { cat "$TMP/portico.log"; exit 1; }

heap_after_gc() { # MiB in use after a full GC
  jcmd "$JPID" GC.run > /dev/null
  jcmd "$JPID" GC.heap_info | awk '/garbage-first heap|used/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print int(v / 1024); exit } }'
}
printf 'soak: %s through balancer://soak (2 nginx), %d connections, %d s in %d s slices\n' "$PATHNAME" "$CONNS" "$SOAK" "$SLICE"
printf '%6s %10s %8s %8s %10s %8s %9s\n' "t (s)" "req/s" "non-2xx" "errors" "heap MiB" "threads" "RSS MiB"
printf '%6s %10s %8s %8s %10s %8s %9s\n' 0 - - - "$(heap_after_gc)" "$(ls /proc/"$JPID"/task | wc -l)" \
  "$(awk '/VmRSS/ { print int($2 / 1024) }' /proc/"$JPID"/status)"
total=0 bad=0 errs=0
for ((t = SLICE; t <= SOAK; t += SLICE)); do
  wrk -t2 -c"$CONNS" -d"${SLICE}s" "http://127.0.0.1:$PORT$PATHNAME" > "$TMP/wrk.txt"
  reqs="$(awk '/requests in/ { print $1 }' "$TMP/wrk.txt")"
  non2xx="$(awk '/Non-2xx/ { print $NF }' "$TMP/wrk.txt")"; non2xx="${non2xx:-0}"
  sockerr="$(awk -F'[ ,]+' '/Socket errors/ { print $4 + $6 + $8 + $10 }' "$TMP/wrk.txt")"; sockerr="${sockerr:-0}"
  total=$((total + reqs)) bad=$((bad + non2xx)) errs=$((errs + sockerr))
  printf '%6d %10.0f %8d %8d %10s %8d %9d\n' "$t" "$(echo "$reqs / $SLICE" | bc -l)" "$non2xx" "$sockerr" \
    "$(heap_after_gc)" "$(ls /proc/"$JPID"/task | wc -l)" "$(awk '/VmRSS/ { print int($2 / 1024) }' /proc/"$JPID"/status)"
done
printf 'soak: %d requests, %d non-2xx, %d socket errors\n' "$total" "$bad" "$errs"
