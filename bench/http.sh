#!/usr/bin/env bash
# HTTP benchmark (issue 2): the distribution's echo action against a bare Jetty handler returning the same JSON,
# in the same run, with wrk at 16 and 64 connections. Also start-up time: JVM start to the first 200 on /api/status.
# Issue 11: "herald" runs without the middleware bundles (ENABLE_AUTHENTICATION=false, ENABLE_PARAM_FILTERING=false);
# "herald+mw" is a second node with both running and an API key on every request (X-API-Key).
# Issue 15: p50, p99 and p99.9 of each run (bench/percentiles.lua, wrk's done() hook), and the median p99 of Herald
# and of the bare server at each connection count.
# Builds nothing: run `mvn -B install -DskipTests` first. Needs wrk (apt-get install wrk).
#
# Usage: bench/http.sh [duration-seconds] [rounds]   (default 15 and 3)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
DURATION="${1:-15}"
ROUNDS="${2:-3}"
THREADS=2
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }


# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# A private copy of the distribution, with the example bundle deployed, in production mode (no response metadata,
# as the bare handler has none).
cp -r "$DIST" "$WORK/herald"
cp "$ROOT"/examples/hello/target/herald-example-hello-*.jar "$WORK/herald/deploy/"
HERALD_PORT="$(free_port)"
BARE_PORT="$(free_port)"

echo "== start-up: JVM start to first 200 on /api/status (3 runs)"
STARTUPS=()
for run in 1 2 3; do
  started=$(now_ms)
  PORT="$HERALD_PORT" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token PROJECT_ROOT="$WORK/herald" \
      ENABLE_AUTHENTICATION=false ENABLE_PARAM_FILTERING=false "$WORK/herald/bin/herald" start \
      >"$WORK/herald-start-$run.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$HERALD_PORT/api/status"; do
    kill -0 "$pid" 2>/dev/null || { echo "herald exited; log:"; cat "$WORK/herald-start-$run.log"; exit 1; }
    sleep 0.01
  done
  elapsed=$(( $(now_ms) - started ))
  STARTUPS+=("$elapsed")
  echo "run $run: ${elapsed} ms"
  if [[ $run -lt 3 ]]; then kill -TERM "$pid"; wait "$pid" || true; else PIDS+=("$pid"); fi
done

# The same distribution with authentication and param filtering running, called with an API key.
API_SECRET="bench-key-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
MW_PORT="$(free_port)"
cp -r "$DIST" "$WORK/herald-mw"
cp "$ROOT"/examples/hello/target/herald-example-hello-*.jar "$WORK/herald-mw/deploy/"
PORT="$MW_PORT" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token PROJECT_ROOT="$WORK/herald-mw" HERALD_TITLE=bench-mw \
    HERALD_API_KEYS="bench:$API_SECRET:reader" "$WORK/herald-mw/bin/herald" start >"$WORK/herald-mw.log" 2>&1 &
PIDS+=($!)

# slf4j-api alone (no binding): Logback without a configuration would log Jetty at DEBUG to the console.
java -cp "$WORK/herald/bundle/*:$(ls "$WORK"/herald/lib/slf4j-api-*.jar)" "$ROOT/bench/BareJetty.java" "$BARE_PORT" >"$WORK/bare.log" 2>&1 &
PIDS+=($!)
until curl -fs -o /dev/null "http://127.0.0.1:$BARE_PORT/"; do sleep 0.05; done
until curl -fs -o /dev/null "http://127.0.0.1:$HERALD_PORT/api/echo?message=hello"; do sleep 0.05; done
until curl -fs -o /dev/null -H "X-API-Key: $API_SECRET" "http://127.0.0.1:$MW_PORT/api/echo?message=hello"; do sleep 0.05; done

HERALD_URL="http://127.0.0.1:$HERALD_PORT/api/echo?message=hello"
BARE_URL="http://127.0.0.1:$BARE_PORT/api/echo?message=hello"
echo "herald answers: $(curl -s "$HERALD_URL")"
echo "bare   answers: $(curl -s "$BARE_URL")"
MW_URL="http://127.0.0.1:$MW_PORT/api/echo?message=hello"
echo "mw     answers: $(curl -s -H "X-API-Key: $API_SECRET" "$MW_URL")"

declare -A PID
PID[herald]=${PIDS[0]}
PID[herald+mw]=${PIDS[1]}
PID[bare]=${PIDS[2]}

# percentiles.lua prints p50, p99 and p99.9 (wrk --latency stops at 99%); take req/s, those and the server's CPU
# microseconds per request.
measure() {
  local url=$1 conns=$2 header=$3 pid=$4 out before after
  wrk -t"$THREADS" -c"$conns" -d3s -H "$header" "$url" >/dev/null 2>&1   # warm-up (JIT)
  before=$(cpu_ticks "$pid")
  out=$(wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" -H "$header" -s "$ROOT/bench/percentiles.lua" "$url")
  after=$(cpu_ticks "$pid")
  local rps p50 p99 p999 errors requests cpu
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  ms() { awk -v p="$1" '$1=="percentile" && $2==p {printf "%.2fms", $3 / 1000}' <<<"$out"; }
  p50=$(ms 50) p99=$(ms 99) p999=$(ms 99.9)
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v t=$(( after - before )) -v hz="$HZ" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  echo "$rps $p50 $p99 $p999 $cpu ${errors:-none}"
}

# This machine's throughput moves by tens of percent from one minute to the next: the three servers are measured in
# ROUNDS rounds, each in a rotated order, and the ratio is taken per round (both figures from the same minute).
declare -A RPS P99
ORDER=(bare herald herald+mw)
printf '\n%-6s %-12s %-6s %12s %10s %10s %10s %12s  %s\n' round target conns req/s p50 p99 p99.9 'CPU us/req' errors
for conns in 16 64; do
  for round in $(seq 1 "$ROUNDS"); do
    for i in 0 1 2; do
      target=${ORDER[$(( (i + round - 1) % 3 ))]}
      url=$BARE_URL header="X-Bench: none"
      [[ $target == herald ]] && url=$HERALD_URL
      [[ $target == herald+mw ]] && url=$MW_URL header="X-API-Key: $API_SECRET"
      read -r rps p50 p99 p999 cpu errors < <(measure "$url" "$conns" "$header" "${PID[$target]}")
      RPS[$target-$conns-$round]=$rps
      P99[$target-$conns-$round]=${p99%ms}
      printf '%-6s %-12s %-6s %12s %10s %10s %10s %12s  %s\n' "$round" "$target" "$conns" "$rps" "$p50" "$p99" "$p999" "$cpu" "$errors"
    done
  done
done

echo
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for conns in 16 64; do
  ratios=() mw=()
  for round in $(seq 1 "$ROUNDS"); do
    ratios+=("$(awk -v h="${RPS[herald-$conns-$round]}" -v b="${RPS[bare-$conns-$round]}" 'BEGIN { printf "%.1f", 100 * h / b }')")
    mw+=("$(awk -v m="${RPS[herald+mw-$conns-$round]}" -v h="${RPS[herald-$conns-$round]}" 'BEGIN { printf "%.1f", 100 * m / h }')")
  done
  echo "herald/bare req/s at $conns connections, per round: ${ratios[*]} (median $(printf '%s\n' "${ratios[@]}" | median)%)"
  echo "herald+mw/herald req/s at $conns connections, per round: ${mw[*]} (median $(printf '%s\n' "${mw[@]}" | median)%)"
  hp=() bp=()
  for round in $(seq 1 "$ROUNDS"); do hp+=("${P99[herald-$conns-$round]}") bp+=("${P99[bare-$conns-$round]}"); done
  # The bare server's p99 in the same minutes bounds what Herald's can be on this machine (wrk shares its cores).
  echo "p99 at $conns connections, median of the rounds: herald $(printf '%s\n' "${hp[@]}" | median) ms, bare $(printf '%s\n' "${bp[@]}" | median) ms"
done
printf 'start-up (JVM start to first 200 on /api/status): %s ms\n' "${STARTUPS[*]}"
echo "targets: herald >= 85% of bare, p99 <= 2 ms at 64 connections (issue 15); herald+mw >= 90% of herald (issue 11)"
