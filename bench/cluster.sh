#!/usr/bin/env bash
# Cluster benchmark (issue 14): `bin/herald cluster --workers 2` on one port under wrk at 64 connections, USR2 during
# the load. Prints the rolling restart's duration (the supervisor's own figure: USR2 to the last old node stopped;
# target <= 10 s), the failed requests of the run (wrk's socket errors and non-2xx answers; target 0), and the
# cluster's throughput before and after the restart. Production environment, the example bundle deployed.
# Builds nothing: run `mvn -B install -DskipTests` first. Needs wrk (apt-get install wrk).
#
# wrk's request timeout is 2 s unless WRK_TIMEOUT says otherwise (e.g. WRK_TIMEOUT=10s): a request slower than it counts
# as a failure (wrk's "timeout" socket errors).
#
# Usage: bench/cluster.sh [seconds-before-and-after] [seconds-of-the-restart-run]   (default 10 60)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
MEASURE="${1:-10}"
ROLL_RUN="${2:-60}"
CONNS=64
THREADS=2
TIMEOUT="${WRK_TIMEOUT:-2s}"
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

cp -r "$DIST" "$WORK/herald"
cp "$ROOT"/examples/hello/target/herald-example-hello-*.jar "$WORK/herald/deploy/"
PORT_="$(free_port)"
URL="http://127.0.0.1:$PORT_/api/echo?message=hello"
LOG="$WORK/cluster.log"

PORT="$PORT_" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token PROJECT_ROOT="$WORK/herald" \
    ENABLE_AUTHENTICATION=false ENABLE_PARAM_FILTERING=false "$WORK/herald/bin/herald" cluster --workers 2 >"$LOG" 2>&1 &
SUPERVISOR=$!
PIDS+=("$SUPERVISOR")

serving() { grep -c 'herald cluster: node .* serves' "$LOG" || true; }
until [[ $(serving) -ge 2 ]]; do
  kill -0 "$SUPERVISOR" 2>/dev/null || { echo "the cluster exited; log:"; cat "$LOG"; exit 1; }
  sleep 0.1
done
echo "cluster answers: $(curl -s "$URL")"

# req/s and the failures wrk saw: socket errors (connect, read, write, timeout) plus non-2xx answers.
summary() {
  local out=$1 rps failed
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  failed=$(awk '/Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } /Non-2xx/ { n += $5 } END { print n + 0 }' <<<"$out")
  echo "$rps $failed"
}

wrk -t"$THREADS" -c"$CONNS" -d"${MEASURE}s" "$URL" >/dev/null 2>&1   # warm-up (JIT) of both nodes
read -r BEFORE BEFORE_FAILED < <(summary "$(wrk -t"$THREADS" -c"$CONNS" -d"${MEASURE}s" --timeout "$TIMEOUT" "$URL")")

# The restart run: USR2 five seconds in; wrk runs on for ROLL_RUN seconds in all.
wrk -t"$THREADS" -c"$CONNS" -d"${ROLL_RUN}s" --timeout "$TIMEOUT" "$URL" >"$WORK/roll.wrk" 2>&1 &
WRK=$!
sleep 5
kill -USR2 "$SUPERVISOR"
wait "$WRK" || true
ROLL_NOTE=""
grep -q 'herald cluster: rolling restart .* in [0-9]* ms' "$LOG" || ROLL_NOTE=" (it outlasted the load: raise the run's seconds)"
for _ in $(seq 3000); do
  grep -q 'herald cluster: rolling restart .* in [0-9]* ms' "$LOG" && break
  sleep 0.1
done
ROLL_LINE=$(grep -o 'herald cluster: rolling restart .* in [0-9]* ms' "$LOG" || echo "not finished 5 minutes after the load")
read -r DURING DURING_FAILED < <(summary "$(cat "$WORK/roll.wrk")")

read -r AFTER AFTER_FAILED < <(summary "$(wrk -t"$THREADS" -c"$CONNS" -d"${MEASURE}s" --timeout "$TIMEOUT" "$URL")")

echo
echo "restart run (${ROLL_RUN} s, $CONNS connections, wrk timeout $TIMEOUT; load average $(cut -d' ' -f1-3 /proc/loadavg)):"
sed 's/^/  /' "$WORK/roll.wrk"
grep -E 'herald cluster: (USR2|node|rolling)' "$LOG" | sed 's/^/  /'
grep -E '^\[herald-[0-9]+\] Herald .* started' "$LOG" | sed 's/^/  /' 
echo
printf '%-28s %s\n' "rolling restart:" "${ROLL_LINE#herald cluster: }$ROLL_NOTE"
printf '%-28s %s\n' "failed requests (restart):" "$DURING_FAILED"
printf '%-28s %s req/s (failed %s)\n' "before, ${MEASURE} s:" "$BEFORE" "$BEFORE_FAILED"
printf '%-28s %s req/s\n' "during the restart run:" "$DURING"
printf '%-28s %s req/s (failed %s)\n' "after, ${MEASURE} s:" "$AFTER" "$AFTER_FAILED"
echo "net.ipv4.tcp_migrate_req: $(cat /proc/sys/net/ipv4/tcp_migrate_req 2>/dev/null || echo n/a) (1: a closing node's queued connections move to the others)"
echo "targets: the rolling restart of 2 nodes within 10 s, 0 failed requests at $CONNS connections (issue 14)"

kill -TERM "$SUPERVISOR"
wait "$SUPERVISOR" || true
[[ ! -e "$WORK/herald/pids/cluster_pidfile" ]] || echo "the cluster pidfile was left behind" >&2
