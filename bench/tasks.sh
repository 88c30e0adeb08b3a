#!/usr/bin/env bash
# Task benchmark (issue 4): enqueue 10,000 no-op jobs through Herald's TaskQueue, then drain them with 10 task
# processors, on a loopback redis-server, with the built distribution as real processes. Then the same with
# waitReplicas=1 (every enqueue and every job end waits for a replica's WAIT acknowledgement) to show what that
# guarantee costs, and node-resque (the package the interop tests use) on the same Redis, same job count, for reference.
#
#   enqueue: a web node (no processors) runs the bench fixture's `bench:enqueue` action: 16 threads call
#            TaskQueue.enqueue("noop", {n}) (params validated, plugins and middleware run, as any caller's jobs),
#            after three warm-up rounds of the same size (their rates are printed too).
#   drain:   a worker node with MIN_TASK_PROCESSORS=MAX_TASK_PROCESSORS=10 starts on the full queue; jobs/s is measured
#            from the first processed job to the last one (resque:stat:processed read every 5 ms), so the JVM's
#            start-up is not counted.
#
# Builds the fixture bundle (bench/tasks-fixture); run `mvn -B install -DskipTests` at the root first.
# Usage: bench/tasks.sh [jobs]   (default 10000)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
JOBS="${1:-10000}"
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is not installed: apt-get install redis-server" >&2; exit 2; }


# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

mvn -B -q -o -f "$ROOT/bench/tasks-fixture/pom.xml" package -DskipTests 2>/dev/null \
  || mvn -B -q -f "$ROOT/bench/tasks-fixture/pom.xml" package -DskipTests
FIXTURE="$(ls "$ROOT"/bench/tasks-fixture/target/herald-bench-tasks-*.jar)"

REDIS_PORT_MAIN="$(free_port)"
REPLICA_PORT="$(free_port)"
redis_cli() { redis-cli -p "$REDIS_PORT_MAIN" "$@"; }
redis-server --port "$REDIS_PORT_MAIN" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --dbfilename leader.rdb >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
redis-server --port "$REPLICA_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --dbfilename replica.rdb --replicaof 127.0.0.1 "$REDIS_PORT_MAIN" >"$WORK/replica.log" 2>&1 &
PIDS+=($!)
until redis_cli ping >/dev/null 2>&1; do sleep 0.05; done
until redis-cli -p "$REDIS_PORT_MAIN" info replication | grep -q 'connected_slaves:1'; do sleep 0.05; done

# One private copy of the distribution per node, with the fixture deployed.
node_copy() {
  local name=$1
  cp -r "$DIST" "$WORK/$name"
  cp "$FIXTURE" "$WORK/$name/deploy/"
}
node_copy web
node_copy worker

# start_node <dir> <log> [VAR=value ...]: starts a node on the bench Redis; its pid is in NODE_PID.
start_node() {
  local dir=$1 log=$2
  shift 2
  env REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT_MAIN" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token \
    LOG_LEVEL=WARN PROJECT_ROOT="$WORK/$dir" "$@" "$WORK/$dir/bin/herald" start >"$log" 2>&1 &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
}

WEB_PORT="$(free_port)"

# run <label> <waitReplicas>: one enqueue + drain round; sets ENQUEUE_RATE and DRAIN_RATE.
run() {
  local label=$1 wait=$2
  redis_cli flushall >/dev/null
  local web
  start_node web "$WORK/web-$label.log" HERALD_ROLE=all PORT="$WEB_PORT" MIN_TASK_PROCESSORS=0 \
    MAX_TASK_PROCESSORS=0 SCHEDULER=false TASK_WAIT_REPLICAS="$wait"
  web=$NODE_PID
  until curl -fs -o /dev/null "http://127.0.0.1:$WEB_PORT/api/bench:enqueue?count=1&callers=1"; do
    kill -0 "$web" 2>/dev/null || { echo "web node exited; log:" >&2; cat "$WORK/web-$label.log" >&2; exit 1; }
    sleep 0.1
  done
  # warm-up, as wrk's in bench/http.sh: three rounds of $JOBS jobs let the JIT compile the enqueue path (a cold node
  # enqueues at about half its warm rate), each round's jobs deleted; their rates are printed as the cold figures
  local round warm=()
  for round in 1 2 3; do
    warm+=("$(curl -fs "http://127.0.0.1:$WEB_PORT/api/bench:enqueue?count=$JOBS&callers=16" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["perSecond"])')")
    redis_cli del resque:queue:bench >/dev/null
  done
  WARMUP_RATES="${warm[*]}"
  local answer enqueue_rate
  answer=$(curl -fs "http://127.0.0.1:$WEB_PORT/api/bench:enqueue?count=$JOBS&callers=16")
  enqueue_rate=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["perSecond"])' "$answer")
  local queued
  queued=$(redis_cli llen resque:queue:bench)
  [[ "$queued" == "$JOBS" ]] || { echo "expected $JOBS queued jobs, found $queued" >&2; exit 1; }
  kill -TERM "$web"; wait "$web" || true

  local worker
  start_node worker "$WORK/worker-$label.log" HERALD_ROLE=worker MIN_TASK_PROCESSORS=10 \
    MAX_TASK_PROCESSORS=10 SCHEDULER=false TASK_WAIT_REPLICAS="$wait"
  worker=$NODE_PID
  local drain_rate
  drain_rate=$(python3 - "$REDIS_PORT_MAIN" "$JOBS" "$worker" <<'EOF'
import os, socket, sys, time
port, jobs, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")
def processed():
    key = b"resque:stat:processed"
    s.sendall(b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(key), key))
    line = f.readline()
    if line.startswith(b"$-1"):
        return 0
    return int(f.readline())
deadline = time.time() + 300
first = None
while True:
    n = processed()
    now = time.monotonic()
    if n > 0 and first is None:
        first = (now, n)
    if n >= jobs:
        break
    if time.time() > deadline:
        sys.exit("drain did not finish: %d of %d processed" % (n, jobs))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("worker node exited: %d of %d processed" % (n, jobs))
    time.sleep(0.005)
t0, n0 = first
print(round((jobs - n0) / max(now - t0, 1e-6)))
EOF
) || { echo "drain failed; worker log:" >&2; tail -30 "$WORK/worker-$label.log" >&2; exit 1; }
  kill -TERM "$worker"; wait "$worker" || true
  local failed
  failed=$(redis_cli llen resque:failed)
  [[ "$failed" == "0" ]] || { echo "$failed jobs failed" >&2; exit 1; }
  ENQUEUE_RATE=$enqueue_rate
  DRAIN_RATE=$drain_rate
}

# node-resque for reference: the interop tests' pinned package and scripts (job class `echo`, the nearest to a no-op),
# when node and npm are installed. Its figures include starting node (about 0.2 s), so they flatter Herald slightly.
NODE_DIR="$ROOT/bundles/tasks/src/test/node"
node_resque() {
  cp -r "$NODE_DIR" "$WORK/node"
  (cd "$WORK/node" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) || return 1
  redis_cli flushall >/dev/null
  local started ended
  started=$(now_ms)
  REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT_MAIN" node "$WORK/node/enqueue.js" --queue bench --class echo \
    --args '[]' --count "$JOBS" --indexed >/dev/null
  ended=$(now_ms)
  local enqueue_rate=$(( JOBS * 1000 / (ended - started) ))
  started=$(now_ms)
  REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT_MAIN" node "$WORK/node/worker.js" --multi --min 10 --max 10 \
    --queues bench --jobs "$JOBS" --run-ms 300000 >/dev/null
  ended=$(now_ms)
  echo "$enqueue_rate $(( JOBS * 1000 / (ended - started) ))"
}

printf '%-34s %12s %12s\n' run enqueue/s drain/s
run plain 0
printf '%-34s %12s %12s\n' "herald (waitReplicas=0)" "$ENQUEUE_RATE" "$DRAIN_RATE"
PLAIN_E=$ENQUEUE_RATE PLAIN_D=$DRAIN_RATE PLAIN_WARMUP=$WARMUP_RATES
run wait 1
printf '%-34s %12s %12s\n' "herald (waitReplicas=1, WAIT)" "$ENQUEUE_RATE" "$DRAIN_RATE"
if command -v node >/dev/null && command -v npm >/dev/null && result=$(node_resque); then
  read -r e d <<<"$result"
  printf '%-34s %12s %12s\n' "node-resque $(node -p "require('$WORK/node/node_modules/node-resque/package.json').version")" "$e" "$d"
fi
echo
echo "jobs: $JOBS no-op jobs, 16 enqueuing threads, 10 processors, loopback Redis $(redis-server --version | awk '{print $3}')"
echo "herald enqueue/s during the warm-up rounds (cold JIT first): $PLAIN_WARMUP"
echo "targets: drain >= 10000 jobs/s, enqueue >= 40000 jobs/s (herald, waitReplicas=0): got $PLAIN_D and $PLAIN_E"
