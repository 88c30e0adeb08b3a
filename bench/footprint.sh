#!/usr/bin/env bash
# Footprint benchmark (issue 15): how fast a node starts and how much memory it holds, per role and per JDK.
# For each JDK and each role (all, web, worker), on a copy of the built distribution with examples/hello in deploy/ and
# a loopback redis-server (so the worker role has work to wait for, and every role runs as deployed):
# - start-up, `bin/herald start` to the first 200 of the example's echo action (an action in deploy/; the worker role,
#   which opens no port, to its "started" line, printed once deploy/ runs), RUNS times each:
#   - first start after a build: the copy's cache/ emptied, `bin/herald check --role R` run as the build runs it (it
#     records the class data cache), then the start;
#   - warm: the same again (the cache and the files in the page cache);
#   - no cache (HERALD_CDS=false), for scale;
#   printed as min / median / max, with the median CPU time (user + system) the JVM had spent by then: on a shared
#   machine the wall time depends on what else runs, the CPU time much less;
# - resident memory (RSS of the JVM): 10 s after a warm start, and 10 s after a 10 s wrk burst at 64 connections on
#   the echo action (not for worker: it serves no HTTP);
# - idle CPU: what the JVM spends in the 10 s after that first reading, no request coming (what a small node idle on a
#   shared host costs in CPU).
# Builds nothing: run `mvn -B install -DskipTests` first. Needs wrk (apt-get install wrk), redis-server and python3.
#
# Usage: bench/footprint.sh [runs] [java-home ...]
#   runs: default 5; java homes: default /usr/lib/jvm/temurin-25-jdk-amd64 and the JDK of `java` on the PATH.
#   ROLES="all web" limits the roles.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
RUNS=${1:-5}
shift || true
JDKS=("$@")
if [[ ${#JDKS[@]} -eq 0 ]]; then
  JDKS=(/usr/lib/jvm/temurin-25-jdk-amd64 "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
fi
read -r -a ROLE_LIST <<<"${ROLES:-all web worker}"
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is not installed: apt-get install redis-server" >&2; exit 2; }
EXAMPLE="$(ls "$ROOT"/examples/hello/target/herald-example-hello-*.jar | grep -v sources | head -n 1)"

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

REDIS_PORT_BENCH="$(free_port)"
redis-server --port "$REDIS_PORT_BENCH" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
until redis-cli -p "$REDIS_PORT_BENCH" ping >/dev/null 2>&1; do sleep 0.05; done

HOME_DIR="$WORK/home"
mkdir -p "$HOME_DIR/deploy"
cp -r "$ROOT/config" "$HOME_DIR/config"
cp "$EXAMPLE" "$HOME_DIR/deploy/hello.jar"
PORT_HERALD="$(free_port)"
export PROJECT_ROOT="$HOME_DIR" PORT="$PORT_HERALD" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token \
  REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT_BENCH"
ECHO_URL="http://127.0.0.1:$PORT_HERALD/api/echo?message=x"

# min / median / max of the numbers given
stats() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {printf "%d / %d / %d", v[1], v[int((NR+1)/2)], v[NR]}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
# RSS in MB, with its anonymous part (heap, metaspace, stacks, code) and its file-backed part (the class data cache,
# jars, libjvm: shared with other processes mapping the same files, as a cluster's nodes do)
rss_mb() {
  awk '/^VmRSS/ {t = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2} /^RssShmem/ {f += $2}
       END {printf "%.1f (anon %.1f, files %.1f)", t / 1024, a / 1024, f / 1024}' "/proc/$1/status"
}

# Starts a node of role $1 with the JDK $2 (extra environment after), waits until it serves (see the top); sets NODE_PID,
# ELAPSED (ms) and CPU (ms of the JVM by then).
start_node() {
  local role=$1 jdk=$2 started log="$WORK/node.log"
  shift 2
  : >"$log"  # emptied here, not by the background start: the wait below must not read the previous node's lines
  started=$(now_ms)
  env "$@" JAVA_HOME="$jdk" HERALD_ROLE="$role" "$COPY/bin/herald" start >"$log" 2>&1 &
  NODE_PID=$!
  # polled every 25 ms (so up to 25 ms late): a curl every few ms would take CPU from the start it measures
  until if [[ $role == worker ]]; then grep -q ' started: ' "$log"; else curl -fs -o /dev/null "$ECHO_URL"; fi; do
    kill -0 "$NODE_PID" 2>/dev/null || { echo "herald exited; log:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.025
  done
  ELAPSED=$(( $(now_ms) - started ))
  CPU=$(( $(awk '{print $14 + $15}' "/proc/$NODE_PID/stat") * 1000 / HZ ))
}
stop_node() { kill -TERM "$NODE_PID"; wait "$NODE_PID" || true; }

# `bin/herald check` as the build runs it (distribution/pom.xml), which records the copy's cache for the role
build_check() {
  env -u REDIS_HOST -u REDIS_PORT JAVA_HOME="$1" PROJECT_ROOT="$WORK/check-home" HERALD_CONFIG="$ROOT/config" \
    HERALD_ENV=development PORT=0 LOG_LEVEL=WARN "$COPY/bin/herald" check --role "$2" >"$WORK/check.log" 2>&1 ||
    { cat "$WORK/check.log" >&2; exit 1; }
}

# runs start_node $RUNS times for a role, JDK and setup ($3: before each start), prints one line
measure() {
  local role=$1 jdk=$2 before=$3 label=$4 walls=() cpus=()
  shift 4
  for _ in $(seq 1 "$RUNS"); do
    $before "$jdk" "$role"
    start_node "$role" "$jdk" "$@"
    walls+=("$ELAPSED"); cpus+=("$CPU")
    stop_node
  done
  printf '  %-7s %-28s %s ms (CPU, median: %s ms)\n' "$role" "$label" "$(stats "${walls[@]}")" "$(median "${cpus[@]}")"
}
after_build() { rm -rf "$COPY/cache" "$HOME_DIR/data"; build_check "$1" "$2"; }
nothing() { :; }

echo "footprint: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start, $RUNS runs each"
for jdk in "${JDKS[@]}"; do
  COPY="$WORK/dist"
  rm -rf "$COPY" "$HOME_DIR/data"
  cp -r "$DIST" "$COPY"
  echo
  echo "== $("$jdk/bin/java" -version 2>&1 | sed -n 2p) ($jdk)"
  echo "start-up, bin/herald start to the first 200 of deploy/'s echo action (worker: to its started line), min / median / max:"
  for role in "${ROLE_LIST[@]}"; do
    measure "$role" "$jdk" after_build "first start after a build"
    measure "$role" "$jdk" nothing "warm"
    measure "$role" "$jdk" nothing "no cache (HERALD_CDS=false)" HERALD_CDS=false
  done
  echo "resident memory (RSS of the JVM), after a warm start:"
  for role in "${ROLE_LIST[@]}"; do
    start_node "$role" "$jdk"
    sleep 10
    idle=$(rss_mb "$NODE_PID")
    cpu_before=$(awk '{print $14 + $15}' "/proc/$NODE_PID/stat")
    sleep 10
    idle_cpu=$(( ($(awk '{print $14 + $15}' "/proc/$NODE_PID/stat") - cpu_before) * 1000 / HZ ))
    printf '  %-7s idle CPU from 10 to 20 s after start: %s ms in 10 s\n' "$role" "$idle_cpu"
    if [[ $role == worker ]]; then
      printf '  %-7s idle 10 s after start: %s MB\n' "$role" "$idle"
    else
      rps=$(wrk -t2 -c64 -d10s "$ECHO_URL" | awk '/Requests\/sec/ {print $2}')
      sleep 10
      printf '  %-7s idle 10 s after start: %s MB; 10 s after a 10 s burst at 64 connections (%s req/s): %s MB\n' \
        "$role" "$idle" "$rps" "$(rss_mb "$NODE_PID")"
    fi
    stop_node
  done
done
