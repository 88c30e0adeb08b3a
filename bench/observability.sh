#!/usr/bin/env bash
# Observability benchmark (issue 14): the echo action on two nodes of the same distribution in the same run, one with
# the defaults' logging (text) and no metrics, one with JSON logs (HERALD_LOG_FORMAT=json) and the metrics bundle
# (Prometheus /metrics, scraped every second during the measurement, as a Prometheus server would, more often than its
# usual 15 s). wrk at 64 connections, rounds in rotated order, the ratio taken per round; also the server CPU per
# request. Target: with both on, at least 90% of the throughput without them.
# Builds nothing: run `mvn -B install -DskipTests` first. Needs wrk (apt-get install wrk).
#
# Usage: bench/observability.sh [duration-seconds] [rounds]   (default 10 and 3)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
DURATION="${1:-10}"
ROUNDS="${2:-3}"
THREADS=2
CONNS=64
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

declare -A PORT PID
start_node() {
  local name=$1; shift
  cp -r "$DIST" "$WORK/$name"
  cp "$ROOT"/examples/hello/target/herald-example-hello-*.jar "$WORK/$name/deploy/"
  PORT[$name]="$(free_port)"
  env PORT="${PORT[$name]}" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token PROJECT_ROOT="$WORK/$name" \
      HERALD_TITLE="$name" ENABLE_AUTHENTICATION=false ENABLE_PARAM_FILTERING=false "$@" \
      "$WORK/$name/bin/herald" start >"$WORK/$name.out" 2>&1 &
  PID[$name]=$!
  PIDS+=($!)
}
start_node plain ENABLE_METRICS=false
start_node observed ENABLE_METRICS=true HERALD_LOG_FORMAT=json

for name in plain observed; do
  until curl -fs -o /dev/null "http://127.0.0.1:${PORT[$name]}/api/echo?message=hello"; do
    kill -0 "${PID[$name]}" 2>/dev/null || { echo "$name exited:"; cat "$WORK/$name.out"; exit 1; }
    sleep 0.1
  done
done
METRICS_URL="http://127.0.0.1:${PORT[observed]}/metrics"
curl -fs -o /dev/null "$METRICS_URL" || { echo "no /metrics on the observed node: $(curl -s -w ' %{http_code}' "$METRICS_URL")"; exit 1; }
echo "plain:    $(curl -s "http://127.0.0.1:${PORT[plain]}/api/echo?message=hello") (metrics: $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT[plain]}/metrics"))"
echo "observed: $(curl -s "http://127.0.0.1:${PORT[observed]}/api/echo?message=hello") (metrics: 200, $(curl -s "$METRICS_URL" | wc -l) lines)"
echo "observed log line: $(grep -m1 '"action":"echo"' "$WORK/observed/log/"*.log 2>/dev/null || grep -m1 'echo' "$WORK/observed.out" || true)"


measure() {
  local name=$1 url out before after scraper=""
  url="http://127.0.0.1:${PORT[$name]}/api/echo?message=hello"
  wrk -t"$THREADS" -c"$CONNS" -d3s "$url" >/dev/null 2>&1   # warm-up (JIT)
  if [[ $name == observed ]]; then
    ( while true; do curl -fs -o /dev/null "$METRICS_URL"; sleep 1; done ) &
    scraper=$!
  fi
  before=$(cpu_ticks "${PID[$name]}")
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency "$url")
  after=$(cpu_ticks "${PID[$name]}")
  [[ -n $scraper ]] && { kill "$scraper"; wait "$scraper" 2>/dev/null || true; }
  local rps p99 requests cpu errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v t=$(( after - before )) -v hz="$HZ" -v n="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / n }')
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
  echo "$rps $p99 $cpu ${errors:-none}"
}

declare -A RPS
RATIOS=()
ORDER=(plain observed)
printf '\necho action, %s connections, %s s per measurement, %s rounds\n' "$CONNS" "$DURATION" "$ROUNDS"
printf '%-6s %-9s %12s %10s %12s  %s\n' round node req/s p99 'CPU us/req' errors
for round in $(seq 1 "$ROUNDS"); do
  for i in 0 1; do
    name=${ORDER[$(( (i + round - 1) % 2 ))]}
    read -r rps p99 cpu errors < <(measure "$name")
    RPS[$name-$round]=$rps
    printf '%-6s %-9s %12s %10s %12s  %s\n' "$round" "$name" "$rps" "$p99" "$cpu" "$errors"
  done
  RATIOS+=("$(awk -v o="${RPS[observed-$round]}" -v p="${RPS[plain-$round]}" 'BEGIN { printf "%.1f", 100 * o / p }')")
done
echo
echo "observed/plain req/s per round: ${RATIOS[*]} (median $(printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')%)"
echo "the observed node counted: $(curl -s "$METRICS_URL" | grep -E '^herald_actions_seconds_count\{[^}]*action="echo"' | head -3 | tr '\n' ' ')"
echo "target (issue 14): metrics and JSON logging on >= 90% of the same run without them"
