#!/usr/bin/env bash
# HAProxy's CPU per request split into user and system time, under the harness's load shape (two nginx
# backends and HAProxy on CPU 1, wrk on CPU 0): the kernel's share of a proxied request on this machine,
# which every proxy pays, beside bench/profile.sh's figures for Portico.
#
#   bench/haproxy-split.sh [path ...]        default: /small /16k /1m (/1m with 8 connections)
#
# Needs: apt-get install -y haproxy nginx wrk. Everything started here is stopped by PID.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PATHS=("$@"); [ ${#PATHS[@]} -gt 0 ] || PATHS=(/small /16k /1m)
B1="${B1_PORT:-18381}" B2="${B2_PORT:-18382}" PORT="${PORT:-18390}" DURATION="${DURATION:-10}"

TMP="$(mktemp -d -t haproxy-split-XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# shellcheck source=nginx-backends.sh
. "$HERE/nginx-backends.sh"
start_backends "$TMP" "$B1" "$B2"
cat > "$TMP/haproxy.cfg" <<CONF
global
  nbthread 1
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  http-reuse always
frontend front
  bind 127.0.0.1:$PORT
  default_backend members
backend members
  balance roundrobin
  server b1 127.0.0.1:$B1
  server b2 127.0.0.1:$B2
CONF
taskset -c 1 haproxy -db -f "$TMP/haproxy.cfg" & PIDS+=($!)
HP=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/small" && break; sleep 0.1; done

cpu() { awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$HP/stat"; }
HZ="$(getconf CLK_TCK)"
for p in "${PATHS[@]}"; do
  c=64; [ "$p" = /1m ] && c=8
  taskset -c 0 wrk -t2 -c"$c" -d3s "http://127.0.0.1:$PORT$p" > /dev/null
  read -r u0 s0 < <(cpu)
  taskset -c 0 wrk -t2 -c"$c" -d"${DURATION}s" "http://127.0.0.1:$PORT$p" > "$TMP/wrk.txt"
  read -r u1 s1 < <(cpu)
  r="$(awk '/requests in/ { print $1 }' "$TMP/wrk.txt")"
  awk -v p="$p" -v c="$c" -v u="$((u1 - u0))" -v s="$((s1 - s0))" -v r="$r" -v d="$DURATION" -v hz="$HZ" 'BEGIN {
    printf "haproxy %-6s c=%-3d %7.0f req/s  CPU %7.1f us/req = user %6.1f + system %6.1f\n",
      p, c, r / d, (u + s) * 1e6 / hz / r, u * 1e6 / hz / r, s * 1e6 / hz / r }'
done
