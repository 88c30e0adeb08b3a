#!/usr/bin/env bash
# Static-file benchmark (issue 13): one 10 KB file at 64 connections, served by Herald (the distribution, from its
# public/ directory), by Jetty's own ResourceHandler alone (bench/BareJettyFiles.java, the same Jetty jars) and by nginx
# (the system's binary, run as this user with its own prefix, as itests NginxServer does), in the same run with wrk.
# No Accept-Encoding is sent, so nobody compresses: this measures serving the file. A second table sends
# Accept-Encoding: gzip to Herald (Jetty's gzip, level 6) and nginx (gzip on, its default level 1): the compressed path.
# Builds nothing: run `mvn -B install -DskipTests` first. Needs wrk and nginx (apt-get install wrk nginx).
#
# Usage: bench/static.sh [duration-seconds] [rounds]   (default 10 and 3)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
DURATION="${1:-10}"
ROUNDS="${2:-3}"
THREADS=2
CONNS=64
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
[[ -x "$NGINX" ]] || { echo "nginx is not installed: apt-get install nginx" >&2; exit 2; }

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# The file: 10 KB of text (a type Herald would compress when asked), the same bytes for all three servers.
cp -r "$DIST" "$WORK/herald"
head -c 7680 /dev/urandom | base64 -w 76 | head -c 10240 > "$WORK/herald/public/file10k.txt"
FILE="$WORK/herald/public/file10k.txt"
[[ $(stat -c %s "$FILE") -eq 10240 ]] || { echo "the test file is not 10240 bytes" >&2; exit 1; }

HERALD_PORT="$(free_port)"
BARE_PORT="$(free_port)"
NGINX_PORT="$(free_port)"

PORT="$HERALD_PORT" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token PROJECT_ROOT="$WORK/herald" \
    ENABLE_AUTHENTICATION=false ENABLE_PARAM_FILTERING=false "$WORK/herald/bin/herald" start >"$WORK/herald.log" 2>&1 &
PIDS+=($!)
declare -A PID
PID[herald]=$!

# slf4j-api alone (no binding): Logback without a configuration would log Jetty at DEBUG to the console.
java -cp "$WORK/herald/bundle/*:$(ls "$WORK"/herald/lib/slf4j-api-*.jar)" "$ROOT/bench/BareJettyFiles.java" "$BARE_PORT" \
    "$WORK/herald/public" >"$WORK/bare.log" 2>&1 &
PIDS+=($!)
PID[jetty]=$!

# nginx: its own prefix, nothing of /etc/nginx; workers as root when run as root (else nobody, who may not read $WORK).
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/temp"
cat >"$WORK/nginx/nginx.conf" <<CONF
$( [[ $(id -u) -eq 0 ]] && echo "user root root;" )
worker_processes auto;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    etag on;
    gzip on;
    gzip_types text/plain;
    gzip_min_length 1024;
    client_body_temp_path $WORK/nginx/temp/body;
    proxy_temp_path $WORK/nginx/temp/proxy;
    fastcgi_temp_path $WORK/nginx/temp/fastcgi;
    uwsgi_temp_path $WORK/nginx/temp/uwsgi;
    scgi_temp_path $WORK/nginx/temp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/herald/public;
    }
}
CONF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" \
    -g "daemon off; pid $WORK/nginx/nginx.pid;" >"$WORK/nginx/logs/output.log" 2>&1 &
PIDS+=($!)
PID[nginx]=$!

HERALD_URL="http://127.0.0.1:$HERALD_PORT/public/file10k.txt"
BARE_URL="http://127.0.0.1:$BARE_PORT/file10k.txt"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/file10k.txt"
for url in "$BARE_URL" "$NGINX_URL" "$HERALD_URL"; do
  for _ in $(seq 1 600); do curl -fs -o /dev/null "$url" && break; sleep 0.1; done
  got=$(curl -fs "$url" | cmp - "$FILE" && echo "the same 10240 bytes" || echo "DIFFERENT BYTES")
  echo "$url: $got"
done


# wrk prints latency percentiles with --latency; take req/s, p50, p99 and the server's CPU microseconds per request.
measure() {
  local url=$1 header=$2 pid=$3 out before after
  wrk -t"$THREADS" -c"$CONNS" -d3s -H "$header" "$url" >/dev/null 2>&1   # warm-up (JIT)
  before=$(cpu_ticks "$pid")
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -H "$header" --latency "$url")
  after=$(cpu_ticks "$pid")
  local rps p50 p99 errors requests cpu
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v t=$(( after - before )) -v hz="$HZ" -v n="$requests" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }')
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  echo "$rps $p50 $p99 $cpu ${errors:-none}"
}

# This machine's throughput moves by tens of percent from one minute to the next: the three servers are measured in
# ROUNDS rounds, each in a rotated order, and the ratio is taken per round (both figures from the same minute).
declare -A RPS CPU
RATIOS=()
printf '\n10 KB file, %s connections, %s s per measurement, no Accept-Encoding, %s rounds\n' "$CONNS" "$DURATION" "$ROUNDS"
printf '%-6s %-8s %12s %10s %10s %12s  %s\n' round target req/s p50 p99 'CPU us/req' errors
ORDER=(jetty herald nginx)
for round in $(seq 1 "$ROUNDS"); do
  for i in 0 1 2; do
    target=${ORDER[$(( (i + round - 1) % 3 ))]}
    url=$BARE_URL
    [[ $target == herald ]] && url=$HERALD_URL
    [[ $target == nginx ]] && url=$NGINX_URL
    read -r rps p50 p99 cpu errors < <(measure "$url" "X-Bench: plain" "${PID[$target]}")
    RPS[$target-$round]=$rps
    CPU[$target-$round]=$cpu
    printf '%-6s %-8s %12s %10s %10s %12s  %s\n' "$round" "$target" "$rps" "$p50" "$p99" "$cpu" "$errors"
  done
  RATIOS+=("$(awk -v h="${RPS[herald-$round]}" -v j="${RPS[jetty-$round]}" 'BEGIN { printf "%.1f", 100 * h / j }')")
done

printf '\nthe same file with Accept-Encoding: gzip (Jetty bare does not compress)\n'
printf '%-8s %12s %10s %10s %12s  %s\n' target req/s p50 p99 'CPU us/req' errors
for target in herald nginx; do
  url=$HERALD_URL
  [[ $target == nginx ]] && url=$NGINX_URL
  encoding=$(curl -s -o /dev/null -w '%header{content-encoding}' -H 'Accept-Encoding: gzip' "$url" 2>/dev/null || true)
  read -r rps p50 p99 cpu errors < <(measure "$url" "Accept-Encoding: gzip" "${PID[$target]}")
  printf '%-8s %12s %10s %10s %12s  %s (Content-Encoding: %s)\n' "$target" "$rps" "$p50" "$p99" "$cpu" "$errors" "${encoding:-none}"
done

echo
for round in $(seq 1 "$ROUNDS"); do
  awk -v h="${RPS[herald-$round]}" -v j="${RPS[jetty-$round]}" -v n="${RPS[nginx-$round]}" -v r="$round" 'BEGIN {
    printf "round %s: herald/jetty req/s %.1f%%, herald/nginx %.1f%%, jetty/nginx %.1f%%\n", r, 100 * h / j, 100 * h / n, 100 * j / n }'
  awk -v h="${CPU[herald-$round]}" -v j="${CPU[jetty-$round]}" -v r="$round" 'BEGIN {
    printf "round %s: CPU per request, jetty/herald %.1f%% (Herald needs %.2fx Jetty'"'"'s CPU)\n", r, 100 * j / h, h / j }'
done
printf 'median herald/jetty: %s%%\n' "$(printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
echo "target (issue 13): herald >= 80% of Jetty's ResourceHandler"
