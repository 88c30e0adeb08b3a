#!/usr/bin/env bash
# Cache benchmark (issue 3): Herald's Redis-backed Cache, save(key, value) + load(key) round trips with 16 concurrent
# callers, against redis-benchmark SET + GET with 16 connections on the same private redis-server, in the same run.
# Target: at least 50% of redis-benchmark's SET+GET round-trip rate. Also, as a second baseline, plain Jedis SET + GET
# from the same 16 Java callers on the same pooled client (what the cache adds over its client library).
# Builds nothing: run `mvn -B install -DskipTests` and `mvn -B -f bench/jmh/pom.xml package` first.
# Needs redis-server, redis-cli and redis-benchmark (apt-get install redis-server redis-tools).
#
# Usage: bench/cache.sh [duration-seconds]   (default 15)
#        JFR=1 bench/cache.sh                (also records a JFR profile of the cache run into bench/results/)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="$ROOT/bench/jmh/target/benchmarks.jar"
DURATION="${1:-15}"
WARMUP=5
CALLERS=16
KEYS=10000
# the length of CacheRoundTrips' JSON value ({"id":0,"name":"herald","tags":["cache","bench"],"active":true}): the
# id grows to 6 digits in a run, so 63 to 68 bytes; redis-benchmark's SET writes values of this size
VALUE_BYTES=65
[[ -f "$JAR" ]] || { echo "no $JAR: run mvn -B install -DskipTests, then mvn -B -f bench/jmh/pom.xml package" >&2; exit 2; }
for tool in redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed: apt-get install redis-server redis-tools" >&2; exit 2; }
done

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# A private server, as io.herald.testing.redis starts them: loopback, no persistence, never 6379.
PORT="$(free_port)"
[[ "$PORT" != 6379 ]] || PORT="$(free_port)"
redis-server --bind 127.0.0.1 --port "$PORT" --save '' --appendonly no --dir "$WORK" --logfile "$WORK/redis.log" \
    --daemonize no &
PIDS+=($!)
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do
  kill -0 "${PIDS[0]}" 2>/dev/null || { echo "redis-server exited; log:"; cat "$WORK/redis.log"; exit 1; }
  sleep 0.05
done
echo "redis-server $(redis-server --version | awk '{print $3}') on 127.0.0.1:$PORT, $(nproc) cores, $CALLERS callers"

cli() { redis-cli -p "$PORT" "$@"; }
# Server-side cost of a phase: CPU seconds redis-server used, and microseconds per call of each command.
reset_stats() { cli config resetstat >/dev/null; CPU_BEFORE=$(server_cpu); }
server_cpu() { cli info cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.3f", s}'; }
phase_stats() {   # prints the server's CPU per round trip and microseconds per call of each command
  local cpu
  cpu=$(awk -v a="$(server_cpu)" -v b="$CPU_BEFORE" 'BEGIN {printf "%.2f", a - b}')
  # every round trip makes exactly one SET (the save script's SET is counted too): SET calls = round trips
  cli info commandstats | tr -d '\r' | awk -F'[:,=]' -v cpu="$cpu" '/^cmdstat_(set|get|evalsha|eval):/ {
      sub("cmdstat_", "", $1); stats = stats sprintf("%s %s calls %.2f us/call; ", $1, $3, $7); if ($1 == "set") rt = $3 }
    END { printf "redis-server: %.1f us of CPU per round trip (%s s); %s", rt ? 1e6 * cpu / rt : 0, cpu, stats }'
}

# redis-benchmark -q prints progress lines ending in \r, then "SET: 85106.38 requests per second, p50=0.151 msec".
bench_once() {   # n -> "set_rps set_p50 get_rps get_p50"
  local out
  out=$(redis-benchmark -p "$PORT" -c "$CALLERS" -n "$1" -r "$KEYS" -d "$VALUE_BYTES" -t set,get -q 2>&1 | tr '\r' '\n')
  awk '/^SET:/ {s=$2; sp=$6} /^GET:/ {g=$2; gp=$6} END {sub("p50=", "", sp); sub("p50=", "", gp); print s, sp, g, gp}' \
      <<<"$out"
}
run_redis_benchmark() {   # label n
  local set_rps set_p50 get_rps get_p50
  reset_stats
  read -r set_rps set_p50 get_rps get_p50 < <(bench_once "$2")
  printf '%-22s SET %10s req/s (p50 %s ms)  GET %10s req/s (p50 %s ms)\n' "$1" "$set_rps" "$set_p50" "$get_rps" \
      "$get_p50"
  echo "    $(phase_stats)"
  BENCH_SET+=("$set_rps"); BENCH_GET+=("$get_rps")
}

# Warm-up and calibration: -n so that each command runs about DURATION seconds.
read -r set_rps _ get_rps _ < <(bench_once 200000)
N=$(awk -v s="$set_rps" -v g="$get_rps" -v d="$DURATION" 'BEGIN {printf "%d", d * (s + g) / 2}')
echo "redis-benchmark -c $CALLERS -n $N -r $KEYS -d $VALUE_BYTES -t set,get -q (warm-up: SET $set_rps, GET $get_rps req/s)"
echo

BENCH_SET=(); BENCH_GET=()
run_redis_benchmark "redis-benchmark (1/2)" "$N"

JFR_ARGS=()
if [[ "${JFR:-0}" == 1 ]]; then
  mkdir -p "$ROOT/bench/results"
  JFR_FILE="$ROOT/bench/results/cache-$(date +%Y%m%d-%H%M%S).jfr"
  JFR_ARGS=("-XX:StartFlightRecording=filename=$JFR_FILE,settings=profile")
fi
declare -A RT
java_run() {   # name label extra-jvm-args...
  local name=$1 label=$2; shift 2
  reset_stats
  java "$@" -cp "$JAR" io.herald.redis.internal.CacheRoundTrips --port "$PORT" --seconds "$DURATION" \
      --warmup "$WARMUP" --threads "$CALLERS" --keys "$KEYS" --only "$name" >"$WORK/$name.out" 2>&1 &
  PIDS+=($!)
  wait $! || { echo "CacheRoundTrips --only $name failed:"; cat "$WORK/$name.out"; exit 1; }
  grep -v '^RESULT\|^redis 127\|^warm-up\|\[jfr,startup\]' "$WORK/$name.out" | sed 's/^/    /' || true
  local line
  line=$(grep '^RESULT' "$WORK/$name.out")
  RT[$name]=$(sed -E 's/.*rt_per_s=([0-9.]+).*/\1/' <<<"$line")
  local p50 p99 errors client_cpu
  p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
  p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
  errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
  client_cpu=$(sed -E 's/.*client_cpu_us_per_rt=([0-9.]+).*/\1/' <<<"$line")
  printf '%-22s %10s round trips/s (%s commands/s)  p50 %s ms  p99 %s ms  errors %s\n' "$label" "${RT[$name]}" \
      "$(( ${RT[$name]} * 2 ))" "$p50" "$p99" "$errors"
  echo "    client JVM: ${client_cpu} us of CPU per round trip (measured part only)"
  echo "    $(phase_stats) (the first ${WARMUP} s are warm-up)"
}
java_run cache "Herald cache" "${JFR_ARGS[@]}"
java_run jedis "Jedis SET+GET"
run_redis_benchmark "redis-benchmark (2/2)" "$N"

echo
awk -v s1="${BENCH_SET[0]}" -v g1="${BENCH_GET[0]}" -v s2="${BENCH_SET[1]}" -v g2="${BENCH_GET[1]}" \
    -v cache="${RT[cache]}" -v jedis="${RT[jedis]}" 'BEGIN {
  # a SET+GET round trip takes 1/SET + 1/GET seconds of a connection: its rate is the harmonic combination
  rt1 = 1 / (1 / s1 + 1 / g1); rt2 = 1 / (1 / s2 + 1 / g2); rt = (rt1 + rt2) / 2
  printf "redis-benchmark SET+GET: %.0f round trips/s (runs: %.0f, %.0f) = %.0f commands/s\n", rt, rt1, rt2, 2 * rt
  printf "Herald cache save+load:  %.0f round trips/s = %.0f commands/s (EVALSHA save + EVALSHA load)\n", cache, 2 * cache
  printf "Jedis SET+GET (Java):    %.0f round trips/s = %.0f commands/s\n", jedis, 2 * jedis
  printf "\nHerald cache / redis-benchmark: %.1f%% per round trip, %.1f%% per command (target >= 50%%)\n",
      100 * cache / rt, 100 * cache / rt
  printf "Herald cache / Jedis SET+GET:   %.1f%%\n", 100 * cache / jedis
  printf "Jedis SET+GET / redis-benchmark: %.1f%%\n", 100 * jedis / rt
}'
[[ -z "${JFR_FILE:-}" ]] || echo "JFR profile of the cache run: $JFR_FILE (jfr print --events jdk.ExecutionSample ...)"
