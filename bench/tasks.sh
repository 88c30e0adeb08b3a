#!/usr/bin/env bash
# Task benchmark (issues 4 and 15): enqueue and drain no-op jobs through Herald's TaskQueue and task processors, on a
# loopback redis-server, with the built distribution as real processes, on JDK 25 and on JDK 17. Then the same with
# waitReplicas=1 (every enqueue and every job end waits for a replica's WAIT acknowledgement) to show what that
# guarantee costs, and node-resque (the package the interop tests use) on the same Redis, same job count, for reference.
#
#   A web node (no processors) and a worker node (MIN_TASK_PROCESSORS=MAX_TASK_PROCESSORS=10, TASK_QUEUES=bench) run
#   side by side, the fixture bundle bench/tasks-fixture in deploy/.
#   enqueue:   the web node's `bench:enqueue` action: 16 threads call TaskQueue.enqueue("noop", {n}) one job at a time
#              (params validated, plugins and middleware run, as any caller's jobs), after three warm-up rounds of the
#              same size (their rates are printed too); then the same jobs with TaskQueue.enqueueAll, 4 threads handing
#              over 1,000 jobs at a time (pipelined: one Redis round trip per 1,000 jobs), rounds of 5 x jobs, also
#              after three warm-ups.
#              They go to a staging queue the worker does not work.
#   drain:     the staging queue is renamed to `bench` (one atomic RENAME), and the worker, idle until then, drains it;
#              jobs/s is measured from the first processed job to the last one (resque:stat:processed read every 5 ms).
#              Six rounds on the same worker node: the first is the cold figure (JIT warming up), the best of the other
#              five the warm one.
#
# Builds the fixture bundle (bench/tasks-fixture); run `mvn -B install -DskipTests` at the root first.
# Usage: bench/tasks.sh [jobs]   (default 10000). JDK25 and JDK17 name the two JVMs (default: Temurin 25 in
# /usr/lib/jvm, and the `java` on the PATH); JDKS="25" or JDKS="17" runs one only.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
JOBS="${1:-10000}"
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is not installed: apt-get install redis-server" >&2; exit 2; }


# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# MVN_OPTS: more options for that build, e.g. -Dmaven.repo.local=<the repository the root was installed into>
# shellcheck disable=SC2086
mvn -B -q -o ${MVN_OPTS:-} -f "$ROOT/bench/tasks-fixture/pom.xml" package -DskipTests 2>/dev/null \
  || mvn -B -q ${MVN_OPTS:-} -f "$ROOT/bench/tasks-fixture/pom.xml" package -DskipTests
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

# enqueue_round <count> <query>: one bench:enqueue call of <count> jobs into the staging queue; prints its jobs/s.
enqueue_round() {
  curl -fs "http://127.0.0.1:$WEB_PORT/api/bench:enqueue?count=$1&queue=staging&$2" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["perSecond"])'
}

# drain_round <worker pid>: moves the staging queue to `bench` and prints the worker's jobs/s draining it.
drain_round() {
  local queued
  queued=$(redis_cli llen resque:queue:staging)
  [[ "$queued" == "$JOBS" ]] || { echo "expected $JOBS staged jobs, found $queued" >&2; return 1; }
  python3 - "$REDIS_PORT_MAIN" "$JOBS" "$1" <<'EOF2'
import os, socket, sys, time
port, jobs, pid = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", port))
f = s.makefile("rb")
def command(*args):
    s.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
    line = f.readline()
    if line.startswith(b"$-1"):
        return None
    if line.startswith(b"$"):
        return f.readline().strip()
    return line[1:].strip()
def processed():
    value = command(b"GET", b"resque:stat:processed")
    return int(value) if value else 0
start = processed()
target = start + jobs
command(b"MULTI")
command(b"RENAME", b"resque:queue:staging", b"resque:queue:bench")
command(b"SADD", b"resque:queues", b"bench")
command(b"EXEC")
f.readline(); f.readline()  # the EXEC reply's two elements
deadline = time.time() + 300
first = None
while True:
    n = processed()
    now = time.monotonic()
    if n > start and first is None:
        first = (now, n)
    if n >= target:
        break
    if time.time() > deadline:
        sys.exit("drain did not finish: %d of %d processed" % (n - start, jobs))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("worker node exited: %d of %d processed" % (n - start, jobs))
    time.sleep(0.005)
t0, n0 = first
print(round((target - n0) / max(now - t0, 1e-6)))
EOF2
}

# run <java home> <waitReplicas>: enqueue and drain rounds; sets ENQUEUE_RATE, ENQUEUE_WARMUP, BATCH_RATE,
# BATCH_WARMUP, DRAIN_COLD and DRAIN_RATES.
run() {
  local java_home=$1 wait=$2
  redis_cli flushall >/dev/null
  local web worker
  start_node web "$WORK/web-$wait.log" JAVA_HOME="$java_home" HERALD_ROLE=all PORT="$WEB_PORT" \
    MIN_TASK_PROCESSORS=0 MAX_TASK_PROCESSORS=0 SCHEDULER=false TASK_WAIT_REPLICAS="$wait"
  web=$NODE_PID
  start_node worker "$WORK/worker-$wait.log" JAVA_HOME="$java_home" HERALD_ROLE=worker MIN_TASK_PROCESSORS=10 \
    MAX_TASK_PROCESSORS=10 TASK_QUEUES=bench SCHEDULER=false TASK_WAIT_REPLICAS="$wait"
  worker=$NODE_PID
  until curl -fs -o /dev/null "http://127.0.0.1:$WEB_PORT/api/bench:enqueue?count=1&callers=1&queue=staging"; do
    kill -0 "$web" 2>/dev/null || { echo "web node exited; log:" >&2; cat "$WORK/web-$wait.log" >&2; exit 1; }
    sleep 0.1
  done
  # warm-up, as wrk's in bench/http.sh: three rounds let the JIT compile the enqueue path (a cold node enqueues at
  # about half its warm rate), each round's jobs deleted; their rates are printed as the cold figures
  local round warm=()
  for round in 1 2 3; do
    redis_cli del resque:queue:staging >/dev/null
    warm+=("$(enqueue_round "$JOBS" callers=16)")
  done
  ENQUEUE_WARMUP="${warm[*]}"
  redis_cli del resque:queue:staging >/dev/null
  ENQUEUE_RATE=$(enqueue_round "$JOBS" callers=16)
  # batched rounds of five times as many jobs: 10,000 take only tens of ms, too short a window on a shared machine
  warm=()
  for round in 1 2 3; do
    redis_cli del resque:queue:staging >/dev/null
    warm+=("$(enqueue_round $((JOBS * 5)) callers=4\&batch=1000)")
  done
  BATCH_WARMUP="${warm[*]}"
  redis_cli del resque:queue:staging >/dev/null
  BATCH_RATE=$(enqueue_round $((JOBS * 5)) callers=4\&batch=1000)

  local rates=()
  for round in 1 2 3 4 5 6; do
    redis_cli del resque:queue:staging >/dev/null
    enqueue_round "$JOBS" callers=4\&batch=1000 >/dev/null
    rates+=("$(drain_round "$worker")") \
      || { echo "drain failed; worker log:" >&2; tail -30 "$WORK/worker-$wait.log" >&2; exit 1; }
  done
  DRAIN_COLD=${rates[0]}
  DRAIN_RATES="${rates[*]:1}"
  kill -TERM "$web" "$worker"; wait "$web" "$worker" || true
  local failed
  failed=$(redis_cli llen resque:failed)
  [[ "$failed" == "0" ]] || { echo "$failed jobs failed" >&2; exit 1; }
}

best() { tr ' ' '\n' <<<"$1" | sort -n | tail -1; }

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

JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDK17=${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JDKS=${JDKS:-25 17}

printf '%-36s %10s %10s %10s %10s\n' run enqueue/s batched/s drain/s "drain cold"
SUMMARY=()
TARGETS=()
for jdk in $JDKS; do
  home=$JDK25
  [[ $jdk == 17 ]] && home=$JDK17
  version=$("$home/bin/java" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  for wait in 0 1; do
    run "$home" "$wait"
    label="herald, JDK $version"
    [[ $wait == 1 ]] && label="$label, WAIT"
    printf '%-36s %10s %10s %10s %10s\n' "$label" "$ENQUEUE_RATE" "$BATCH_RATE" "$(best "$DRAIN_RATES")" "$DRAIN_COLD"
    SUMMARY+=("$label: enqueue warm-up $ENQUEUE_WARMUP; batched warm-up $BATCH_WARMUP; warm drain rounds $DRAIN_RATES")
    if [[ $wait == 0 ]]; then
      TARGETS+=("JDK $version: drain $(best "$DRAIN_RATES"), batched enqueue $BATCH_RATE")
    fi
  done
done
if command -v node >/dev/null && command -v npm >/dev/null && result=$(node_resque); then
  read -r e d <<<"$result"
  printf '%-36s %10s %10s %10s\n' "node-resque $(node -p "require('$WORK/node/node_modules/node-resque/package.json').version")" "$e" "-" "$d"
fi
echo
echo "jobs: $JOBS no-op jobs per round, 10 processors, loopback Redis $(redis-server --version | awk '{print $3}')"
echo "enqueue/s: 16 threads, one enqueue per job; batched/s: 4 threads, enqueueAll of 1,000 jobs, $((JOBS * 5)) per round;"
echo "drain/s: the best of five warm rounds; drain cold: the worker node's first round"
printf '%s\n' "${SUMMARY[@]}"
echo "targets (waitReplicas=0, warm): drain >= 20000 jobs/s, batched enqueue >= 80000 jobs/s: got ${TARGETS[*]}"
