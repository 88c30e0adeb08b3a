#!/usr/bin/env bash
# Real-time benchmark (issue 12): (a) echo action round trips over WebSocket at 64 connections, (b) 10,000 WebSocket
# connections in one room: a broadcast's arrival at every member (p99) and the node's RSS per idle connection,
# (c) echo round trips over TCP at 64 connections. Closed loop: each connection sends its next call when the answer
# came. The load runs on the same 2 cores as the node (bench/RealtimeLoad.java, the JDK's WebSocket client).
# Builds nothing: run `mvn -B install -DskipTests` first.
#
# Usage: bench/realtime.sh [seconds] [broadcast-connections]   (defaults 15 and 10000)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
DURATION="${1:-15}"
MEMBERS="${2:-10000}"
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }

# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

cp -r "$DIST" "$WORK/herald"
cp "$ROOT"/examples/hello/target/herald-example-hello-*.jar "$WORK/herald/deploy/"
PORT_HTTP="$(free_port)"
PORT_TCP="$(free_port)"
SECRET="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
# A closed loop sends far more than a browser: the per-connection rate limits are lifted, the connection cap raised.
sed -i 's/^maxMessagesPerSecond = .*/maxMessagesPerSecond = 1000000/; s/^maxConnections = .*/maxConnections = 50000/' \
    "$WORK/herald/config/io.herald.server.websocket.cfg" "$WORK/herald/config/io.herald.server.tcp.cfg"

PORT="$PORT_HTTP" ENABLE_TCP_SERVER=true TCP_PORT="$PORT_TCP" HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token \
    HERALD_API_KEYS="bench:$SECRET:admin" PROJECT_ROOT="$WORK/herald" "$WORK/herald/bin/herald" start \
    >"$WORK/herald.log" 2>&1 &
NODE=$!
PIDS+=("$NODE")
until curl -fs -o /dev/null "http://127.0.0.1:$PORT_HTTP/api/echo?message=up"; do
  kill -0 "$NODE" 2>/dev/null || { echo "herald exited; log:"; cat "$WORK/herald.log"; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null -H "X-API-Key: $SECRET" "http://127.0.0.1:$PORT_HTTP/api/createChatRoom?name=bench"

LOAD=(java -Xss256k -cp "" "$ROOT/bench/RealtimeLoad.java")
# The load, also printing the server's CPU time per round trip: <server pid> <mode> <args...>
# Each round-trip run warms up for 10 s first: on JDK 17 (no AOT cache) the JIT is still compiling the servers after 3 s.
load_on() { local pid=$1; shift; java -Xss256k -Dwarmup.ms=10000 -Dserver.pid="$pid" -cp "" "$ROOT/bench/RealtimeLoad.java" "$@"; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$NODE/status"; }

# The baseline: Jetty's WebSocket core answering at once, same jars, same machine, same client.
PORT_BARE="$(free_port)"
java -cp "$WORK/herald/bundle/*:$(ls "$WORK"/herald/lib/slf4j-api-*.jar)" "$ROOT/bench/BareJettyWebSocket.java" "$PORT_BARE" \
    >"$WORK/bare.log" 2>&1 &
BARE=$!
PIDS+=("$BARE")
until grep -q "bare websocket on" "$WORK/bare.log" 2>/dev/null; do sleep 0.2; done

echo "== (a) WebSocket round trips (bare Jetty WebSocket core, then Herald)"
load_on "$BARE" ws-rtt "ws://127.0.0.1:$PORT_BARE/ws" 64 "$DURATION"
load_on "$NODE" ws-rtt "ws://127.0.0.1:$PORT_HTTP/ws" 64 "$DURATION"
echo "== (c) TCP round trips"
load_on "$NODE" tcp-rtt 127.0.0.1 "$PORT_TCP" 64 "$DURATION"

echo "== (b) $MEMBERS WebSocket connections in one room"
sleep 2
BEFORE=$(rss_kb)
"${LOAD[@]}" ws-broadcast "ws://127.0.0.1:$PORT_HTTP/ws" "$MEMBERS" bench >"$WORK/broadcast.out" 2>&1 &
LOADER=$!
PIDS+=("$LOADER")
until grep -q READY "$WORK/broadcast.out" 2>/dev/null; do
  kill -0 "$LOADER" 2>/dev/null || break
  sleep 0.5
done
AFTER=$(rss_kb)
wait "$LOADER" || true
grep -v READY "$WORK/broadcast.out"
awk -v b="$BEFORE" -v a="$AFTER" -v n="$MEMBERS" \
  'BEGIN { printf "node RSS: %.1f MB before, %.1f MB with the connections open: %.1f KB per connection\n", b/1024, a/1024, (a-b)/n }'
echo "targets: (a) >= 50,000 round trips/s; (b) p99 < 1 s, <= 32 KB per idle connection; (c) printed"
