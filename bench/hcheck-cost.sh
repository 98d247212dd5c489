#!/usr/bin/env bash
# The proxy's CPU cost of health checking: 100 members (one nginx listening on 100 ports) checked with
# GET /health every 100 ms by one Portico ("on"), not checked by another ("off", hcmethod NONE), both
# running at once. wrk loads one, then the other, ROUNDS times, interleaved so that machine drift hits
# both alike, at a paced rate (DELAY ms between requests per connection) that leaves the machine idle
# enough for CPU time to mean something. Prints, per window, each process's CPU seconds (utime+stime
# from /proc), the checks nginx served, and the most check threads seen (portico-hc-N, bounded by
# hc-tpsize); then the medians and the cost: extra CPU per wall second and per check.
#
#   bench/hcheck-cost.sh
#   ROUNDS=5 DURATION=20 MEMBERS=100 INTERVAL=100ms TPSIZE=16 CONNS=8 DELAY=5 bench/hcheck-cost.sh
#
# Needs: apt-get install -y nginx wrk, and the standalone jar (mvn -q package -DskipTests). Everything
# started here is stopped by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/../target/portico-standalone.jar"
[ -f "$JAR" ] || { echo "hcheck-cost: $JAR is missing: run mvn -q package -DskipTests" >&2; exit 1; }
ROUNDS="${ROUNDS:-5}" DURATION="${DURATION:-20}" MEMBERS="${MEMBERS:-100}" INTERVAL="${INTERVAL:-100ms}"
TPSIZE="${TPSIZE:-16}" CONNS="${CONNS:-8}" DELAY="${DELAY:-5}" WARMUP="${WARMUP:-10}"
BASE="${BASE_PORT:-18400}"
PORTS=("${ON_PORT:-18391}" "${OFF_PORT:-18392}")
NAMES=(on off)
JAVA_OPTS="${JAVA_OPTS:--Xms128m -Xmx256m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError}"
TICKS="$(getconf CLK_TCK)"

TMP="$(mktemp -d -t portico-hcheck-XXXXXX)"
chmod 755 "$TMP"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# one nginx, MEMBERS ports: /health answers "status: UP" (logged, to count checks), anything else "ok"
mkdir -p "$TMP/nginx"
{
  echo "worker_processes 1; daemon off; pid $TMP/nginx/nginx.pid; error_log $TMP/nginx/error.log warn;"
  echo "events { worker_connections 8192; }"
  echo "http { access_log off; default_type text/plain; keepalive_requests 10000000; server_tokens off;"
  echo "  client_body_temp_path $TMP/nginx/body; proxy_temp_path $TMP/nginx/proxy; fastcgi_temp_path $TMP/nginx/fcgi;"
  echo "  uwsgi_temp_path $TMP/nginx/uwsgi; scgi_temp_path $TMP/nginx/scgi; log_format hc '\$server_port';"
  echo "  server {"
  for i in $(seq 0 $((MEMBERS - 1))); do echo "    listen 127.0.0.1:$((BASE + i)) backlog=1024;"; done
  echo "    location = /health { access_log $TMP/nginx/health.log hc; return 200 \"status: UP\n\"; }"
  echo "    location / { return 200 \"ok\n\"; }"
  echo "  }"
  echo "}"
} > "$TMP/nginx/nginx.conf"
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" & PIDS+=($!)

descriptor() { # $1: hcmethod
  local i
  echo '<portico xmlns="urn:portico:descriptor:1">'
  echo "  <settings hc-tpsize=\"$TPSIZE\"/>"
  echo '  <balancer name="checked">'
  for i in $(seq 0 $((MEMBERS - 1))); do
    echo "    <member url=\"http://127.0.0.1:$((BASE + i))\" hcmethod=\"$1\" hcuri=\"/health\" hcinterval=\"$INTERVAL\"/>"
  done
  echo '  </balancer>'
  echo '  <pass path="/" to="balancer://checked/"/>'
  echo '</portico>'
}

JPIDS=()
for i in 0 1; do
  descriptor "$([ $i = 0 ] && echo GET || echo NONE)" > "$TMP/${NAMES[$i]}.xml"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --config "$TMP/${NAMES[$i]}.xml" --port "${PORTS[$i]}" --host 127.0.0.1 \
      > "$TMP/portico-${NAMES[$i]}.log" 2>&1 & PIDS+=($!); JPIDS+=($!)
done
for i in 0 1; do
  for _ in $(seq 1 240); do curl -fs -o /dev/null "http://127.0.0.1:${PORTS[$i]}/x" && break; sleep 0.5; done
  curl -fsS -o /dev/null "http://127.0.0.1:${PORTS[$i]}/x" || { cat "$TMP/portico-${NAMES[$i]}.log"; exit 1; }
done

cat > "$TMP/paced.lua" <<LUA
function delay() return $DELAY end
LUA

cpu() { awk -v t="$TICKS" '{ printf "%.2f", ($14 + $15) / t }' "/proc/$1/stat"; }
checks() { [ -f "$TMP/nginx/health.log" ] && wc -l < "$TMP/nginx/health.log" || echo 0; }
hc_threads() { grep -l '^portico-hc-[0-9]' /proc/"$1"/task/*/comm 2>/dev/null | wc -l; }
threads() { awk '/^Threads/{print $2}' "/proc/$1/status"; }

for i in 0 1; do # warm both JITs on the same paced load
  wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$TMP/paced.lua" "http://127.0.0.1:${PORTS[$i]}/x" > /dev/null
done

printf '%-5s %-6s %9s %9s %9s %8s %8s %9s %9s\n' round loaded 'on cpu s' 'off cpu s' requests checks checks/s 'hc thr' 'threads'
ROWS=()
for r in $(seq 1 "$ROUNDS"); do
  for i in 0 1; do
    c0=("$(cpu "${JPIDS[0]}")" "$(cpu "${JPIDS[1]}")"); h0="$(checks)"; t0="$(date +%s.%N)"
    most=0
    wrk -t2 -c"$CONNS" -d"${DURATION}s" -s "$TMP/paced.lua" "http://127.0.0.1:${PORTS[$i]}/x" > "$TMP/wrk.txt" &
    w=$!
    while kill -0 "$w" 2>/dev/null; do
      n="$(hc_threads "${JPIDS[0]}")"; [ "$n" -gt "$most" ] && most="$n"; sleep 0.2
    done
    wait "$w"
    c1=("$(cpu "${JPIDS[0]}")" "$(cpu "${JPIDS[1]}")"); h1="$(checks)"; t1="$(date +%s.%N)"
    req="$(awk '/requests in/{print $1}' "$TMP/wrk.txt")"
    on="$(echo "${c1[0]} - ${c0[0]}" | bc)"; off="$(echo "${c1[1]} - ${c0[1]}" | bc)"
    wall="$(echo "$t1 - $t0" | bc)"; cps="$(echo "scale=0; ($h1 - $h0) / $wall" | bc)"
    printf '%-5s %-6s %9s %9s %9s %8s %8s %9s %9s\n' "$r" "${NAMES[$i]}" "$on" "$off" "$req" "$((h1 - h0))" "$cps" \
        "$most" "$(threads "${JPIDS[0]}")/$(threads "${JPIDS[1]}")"
    ROWS+=("${NAMES[$i]} $on $off $req $((h1 - h0)) $wall $most")
  done
done

printf '%s\n' "${ROWS[@]}" | python3 -c '
import statistics as st, sys
rows = [l.split() for l in sys.stdin if l.strip()]
def med(xs): return st.median(xs)
loaded = {"on": [], "off": []}
for name, on, off, req, chk, wall, most in rows:
    loaded[name].append((float(on), float(off), int(req), int(chk), float(wall), int(most)))
on_loaded = [r[0] / r[4] for r in loaded["on"]]    # on process, loaded: CPU s per wall s
off_loaded = [r[1] / r[4] for r in loaded["off"]]  # off process, loaded
on_idle = [r[0] / r[4] for r in loaded["off"]]     # on process while the other takes the load: checks only
off_idle = [r[1] / r[4] for r in loaded["on"]]     # off process idle
checks = [r[3] / r[4] for r in loaded["on"] + loaded["off"]]
req_on = med([r[2] for r in loaded["on"]]); req_off = med([r[2] for r in loaded["off"]])
print()
print("medians over %d rounds, CPU seconds per wall second (1.00 = one core busy):" % len(loaded["on"]))
print("  loaded: checks on %.3f, off %.3f -> checking costs %.3f (requests per window: on %d, off %d)"
      % (med(on_loaded), med(off_loaded), med(on_loaded) - med(off_loaded), req_on, req_off))
print("  idle:   checks on %.3f, off %.3f -> checking costs %.3f" % (med(on_idle), med(off_idle), med(on_idle) - med(off_idle)))
c = med(checks)
print("  checks served by nginx: %.0f/s (each member is checked one interval after its last check ended)" % c)
if c > 0:
    print("  CPU per check: loaded %.0f us, idle %.0f us" % ((med(on_loaded) - med(off_loaded)) / c * 1e6,
                                                        (med(on_idle) - med(off_idle)) / c * 1e6))
print("  most check threads seen: %d (hc-tpsize %s)" % (max(r[5] for r in loaded["on"] + loaded["off"]), sys.argv[1]))
' "$TPSIZE"
