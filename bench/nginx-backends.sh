# Sourced by the bench scripts: start_backends DIR PORT1 PORT2 writes /small (100 B), /16k and /1m
# into DIR/docroot and starts one nginx on CPU 1 serving them on both ports (X-Backend b1|b2), keep-alive
# without limit as in the shared harness; its PID is appended to the caller's PIDS array.
start_backends() {
  local dir="$1" b1="$2" b2="$3"
  chmod 755 "$dir"; mkdir -p "$dir/docroot" "$dir/nginx"
  head -c 100 /dev/zero | tr '\0' 'x' > "$dir/docroot/small"
  head -c 16384 /dev/zero | tr '\0' 'x' > "$dir/docroot/16k"
  head -c 1048576 /dev/zero | tr '\0' 'x' > "$dir/docroot/1m"
  cat > "$dir/nginx/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $dir/nginx/nginx.pid; error_log $dir/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off; default_type text/plain; sendfile on; tcp_nopush on; tcp_nodelay on;
  client_body_temp_path $dir/nginx/body; proxy_temp_path $dir/nginx/proxy;
  fastcgi_temp_path $dir/nginx/fcgi; uwsgi_temp_path $dir/nginx/uwsgi; scgi_temp_path $dir/nginx/scgi;
  keepalive_timeout 120s; keepalive_requests 10000000; server_tokens off;
  server { listen 127.0.0.1:$b1 reuseport backlog=4096; root $dir/docroot; add_header X-Backend b1 always; }
  server { listen 127.0.0.1:$b2 reuseport backlog=4096; root $dir/docroot; add_header X-Backend b2 always; }
}
CONF
  taskset -c 1 nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" & PIDS+=($!)
}

# start_portico DIR PORT PATH B1 B2 JAR: runs JAR as bench/portico-bench.sh runs it, on CPU 1, in front of the two
# backends, and waits until PATH answers; sets PORTICO_JAVA_PID to the JVM's PID (for perf and strace) and
# appends the launcher's PID to PIDS. JAVA_OPTS as the harness gives them unless set.
start_portico() {
  local dir="$1" port="$2" path="$3" b1="$4" b2="$5" jar="$6"
  mkdir -p "$dir/x/bench" "$dir/x/target"
  cp "$(dirname "${BASH_SOURCE[0]}")/portico-bench.sh" "$dir/x/bench/"; cp "$jar" "$dir/x/target/portico-standalone.jar"
  env PORT="$port" BACKENDS="127.0.0.1:$b1,127.0.0.1:$b2" JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseG1GC}" \
      taskset -c 1 "$dir/x/bench/portico-bench.sh" > "$dir/portico.log" 2>&1 & PIDS+=($!)
  local pp=$!
  for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$port$path" && break; sleep 0.5; done
  PORTICO_JAVA_PID="$(pgrep -P "$pp" java || echo "$pp")"
}

# cpu_ticks PID: user + system CPU ticks of PID so far (/proc/PID/stat fields 14 and 15, counted after the
# command name, which may hold spaces); divide by `getconf CLK_TCK` for seconds.
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# wrk_conns PATH: the harness's connection count for PATH: CONNS_1M (8) for /1m, CONNS (64) otherwise.
wrk_conns() { if [ "$1" = /1m ]; then echo "${CONNS_1M:-8}"; else echo "${CONNS:-64}"; fi; }
