#!/usr/bin/env bash
# Paired HTTP comparison of two builds (issue 10): the distributions of this tree and of OTHER_ROOT (another checkout,
# e.g. `git worktree add ../before <rev>` built with `mvn -B install -DskipTests`) run side by side and are loaded one
# at a time, alternately, with wrk on the echo action. On a shared 2-core machine a run's throughput moves by ±30%
# from one minute to the next; alternating short runs puts both builds under the same conditions.
#
# Usage: bench/ab.sh OTHER_ROOT [rounds]   (default 6 rounds of 6 s at 16 and 64 connections each; use an even number)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OTHER="$(cd "${1:?usage: bench/ab.sh OTHER_ROOT [rounds]}" && pwd)"
ROUNDS="${2:-6}"
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# start NAME ROOT: a private copy of ROOT's distribution with the example bundle, in production mode; sets PORT_OF_NAME
# (not run in a command substitution: its subshell would keep the node's pid from PIDS, and the node would outlive us)
start() {
  local name=$1 root=$2 port
  [[ -x "$root/distribution/target/herald/bin/herald" ]] || { echo "no distribution in $root: build it first" >&2; exit 2; }
  cp -r "$root/distribution/target/herald" "$WORK/$name"
  cp "$root"/examples/hello/target/herald-example-hello-*.jar "$WORK/$name/deploy/"
  port="$(free_port)"
  PORT="$port" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token HERALD_TITLE="$name" PROJECT_ROOT="$WORK/$name" \
      "$WORK/$name/bin/herald" start >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  PORT_OF_NAME=$port
}

start this "$ROOT"
THIS_PORT=$PORT_OF_NAME
start other "$OTHER"
OTHER_PORT=$PORT_OF_NAME
for port in "$THIS_PORT" "$OTHER_PORT"; do
  until curl -fs -o /dev/null "http://127.0.0.1:$port/api/echo?message=hello"; do sleep 0.1; done
  wrk -t2 -c64 -d5s "http://127.0.0.1:$port/api/echo?message=hello" >/dev/null   # warm-up (JIT)
done

printf "%-6s %-6s %-6s %12s %10s\n" round conns build req/s p99
declare -A SUM
for round in $(seq 1 "$ROUNDS"); do
  for conns in 16 64; do
    # odd rounds load the other build first, even rounds this one: the first of a pair measures lower (same build
    # against itself: up to -40% at 16 connections), so a fixed order would favour one build
    order="other this"; (( round % 2 == 0 )) && order="this other"
    for build in $order; do
      port=$([[ $build == this ]] && echo "$THIS_PORT" || echo "$OTHER_PORT")
      out=$(wrk -t2 -c"$conns" -d6s --latency "http://127.0.0.1:$port/api/echo?message=hello")
      rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
      printf "%-6s %-6s %-6s %12s %10s\n" "$round" "$conns" "$build" "$rps" "$p99"
      SUM[$build$conns]=$(awk -v a="${SUM[$build$conns]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    done
  done
done
for conns in 16 64; do
  awk -v t="${SUM[this$conns]}" -v o="${SUM[other$conns]}" -v c="$conns" -v n="$ROUNDS" \
      'BEGIN {printf "mean req/s at %s connections: this %.0f, other %.0f (this/other %.1f%%)\n", c, t/n, o/n, 100*t/o}'
done
