#!/usr/bin/env bash
# AJP/1.3 members beside HTTP/1.1 members: the same embedded Tomcat (the tests' AjpTomcat: an AJP connector
# and an HTTP connector in front of one servlet) behind the standalone jar, once through ajp:// and once
# through http://. wrk loads each path in turn; then one 1 GiB download and upload per protocol with curl,
# checked by size. Prints requests/s and MB/s for each. Everything on 127.0.0.1; stopped by PID.
#
#   bench/ajp-vs-http.sh                       defaults: DURATION=10 CONNS=16 WARMUP=5
#   DURATION=20 CONNS=32 BIG=$((1<<30)) bench/ajp-vs-http.sh
#
# Needs wrk and curl, a built jar and test classes (mvn -q -o verify -DskipDistributions -DskipTests, or any
# IT run) and Tomcat's jars in the local Maven repository (a test dependency).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE/.."
DURATION="${DURATION:-10}" CONNS="${CONNS:-16}" WARMUP="${WARMUP:-5}" BIG="${BIG:-$((1 << 30))}"
[ -f target/portico-standalone.jar ] && [ -d target/test-classes/org/portico/testkit ] \
  || { echo "build first: mvn -q -o verify -DskipDistributions -DskipTests" >&2; exit 2; }
REPO="${MAVEN_REPO:-$HOME/.m2/repository}/org/apache/tomcat"
CP="target/test-classes:$(ls "$REPO"/embed/tomcat-embed-core/*/tomcat-embed-core-*.jar | sort | tail -1)"
CP="$CP:$(ls "$REPO"/tomcat-annotations-api/*/tomcat-annotations-api-*.jar | sort | tail -1)"
TMP="$(mktemp -d -t portico-ajp-bench-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# Tomcat ends when its standard input closes: hold it open with a pipe from a sleeping process
mkfifo "$TMP/hold"
sleep 100000 > "$TMP/hold" & PIDS+=($!)
java -Xmx512m -cp "$CP" org.portico.testkit.AjpTomcatMain - - < "$TMP/hold" > "$TMP/tomcat.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 200); do grep -q AJP-TOMCAT-READY "$TMP/tomcat.log" && break; sleep 0.1; done
read -r _ AJP HTTP < <(grep AJP-TOMCAT-READY "$TMP/tomcat.log")
cat > "$TMP/portico.xml" <<XML
<portico xmlns="urn:portico:descriptor:1">
  <pass path="/ajp/" to="ajp://127.0.0.1:$AJP/"/>
  <pass path="/http/" to="http://127.0.0.1:$HTTP/"/>
</portico>
XML
java -Xms256m -Xmx512m -jar target/portico-standalone.jar --config "$TMP/portico.xml" --port 0 > "$TMP/portico.log" 2>&1 & PIDS+=($!)
for _ in $(seq 1 300); do grep -q "is serving on" "$TMP/portico.log" && break; sleep 0.1; done
URL="$(grep -o 'is serving on http://[^ ]*' "$TMP/portico.log" | head -1 | sed 's/is serving on //; s#/$##')"
echo "Tomcat AJP :$AJP HTTP :$HTTP; Portico $URL; wrk -t2 -c$CONNS -d${DURATION}s"

rate() { # path label
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" "$URL$1" > /dev/null
  local out rps mbs
  out="$(wrk -t2 -c"$CONNS" -d"${DURATION}s" "$URL$1")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<< "$out")"
  mbs="$(awk '/Transfer\/sec/ {v=$2; if (v ~ /GB/) {sub(/GB/,"",v); v*=1024} else if (v ~ /KB/) {sub(/KB/,"",v); v/=1024} else {sub(/MB/,"",v)}; printf "%.1f", v}' <<< "$out")"
  grep -q "Non-2xx" <<< "$out" && { echo "$out"; exit 1; }
  printf '%-6s %-22s %10s req/s %9s MB/s\n' "$2" "$1" "$rps" "$mbs"
}
for size in 1024 1048576; do
  rate "/http/down?bytes=$size" HTTP
  rate "/ajp/down?bytes=$size" AJP
done

big() { # label prefix
  local t0 t1 got
  t0="$(date +%s.%N)"
  got="$(curl -fsS -o /dev/null -w '%{size_download}' "$URL$2/down?bytes=$BIG")"
  t1="$(date +%s.%N)"
  [ "$got" = "$BIG" ] || { echo "$1 download: $got of $BIG bytes"; exit 1; }
  printf '%-6s %-22s %10.1f MB/s\n' "$1" "GET $((BIG >> 20)) MiB" "$(echo "$BIG / 1048576 / ($t1 - $t0)" | bc -l)"
  t0="$(date +%s.%N)"
  got="$(curl -fsS -X POST -H 'Content-Type: application/octet-stream' -T "$TMP/big" "$URL$2/up" | awk '{print $2}')"
  t1="$(date +%s.%N)"
  [ "$got" = "$BIG" ] || { echo "$1 upload: $got of $BIG bytes"; exit 1; }
  printf '%-6s %-22s %10.1f MB/s\n' "$1" "POST $((BIG >> 20)) MiB" "$(echo "$BIG / 1048576 / ($t1 - $t0)" | bc -l)"
}
truncate -s "$BIG" "$TMP/big" # sparse: streamed by curl -T with its length, never held in memory
big HTTP /http
big AJP /ajp
