#!/usr/bin/env bash
# Deploy benchmark (issue 9): redeploys of an action bundle under load. wrk holds 64 connections on the echo action while
# a new version of its bundle is moved into deploy/ ten times, then ten times more with a broken jar (it needs a package
# nothing exports) between good ones. For each change: the time from the file landing until status reports it (the new
# version ACTIVE, or the broken one REFUSED). Printed: the slowest redeploy, and wrk's failed requests (non-2xx and
# socket errors), which must be 0. Also start-up (first 200 after `bin/herald start`): the first start of a new data
# directory and warm starts, and a bare Jetty handler's req/s in the same run, for scale.
# Builds nothing: run `mvn -B install -DskipTests` first. Needs wrk (apt-get install wrk) and python3.
#
# Usage: bench/deploy.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIST="$ROOT/distribution/target/herald"
THREADS=2
CONNECTIONS=64
[[ -x "$DIST/bin/herald" ]] || { echo "no distribution at $DIST: run mvn -B install -DskipTests first" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install wrk" >&2; exit 2; }
EXAMPLE="$(ls "$ROOT"/examples/hello/target/herald-example-hello-*.jar | grep -v sources | head -n 1)"


# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

# The example bundle under another Bundle-Version, or also needing a package nothing exports (broken).
variant() {
  python3 - "$EXAMPLE" "$1" "$2" "$3" <<'EOF'
import sys, zipfile
source, target, version, broken = sys.argv[1:5]
with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "META-INF/MANIFEST.MF":
            text = data.decode("utf-8").replace("\r\n ", "").replace("\n ", "")
            lines = []
            for line in text.splitlines():
                if line.startswith("Bundle-Version:"):
                    line = "Bundle-Version: " + version
                elif line.startswith("Import-Package:") and broken == "broken":
                    line = 'Import-Package: org.example.nowhere;version="[1,2)",' + line[len("Import-Package:"):].strip()
                lines.append(line)
            out = []
            for line in lines:  # manifest lines are at most 72 bytes: continue longer ones
                while len(line.encode()) > 70:
                    out.append(line[:70]); line = " " + line[70:]
                out.append(line)
            data = ("\r\n".join(out) + "\r\n").encode("utf-8")
        zout.writestr(item, data)
EOF
}

# The home: the shipped config and the example bundle in deploy/ (production: no response metadata).
HOME_DIR="$WORK/home"
mkdir -p "$HOME_DIR/deploy"
cp -r "$ROOT/config" "$HOME_DIR/config"
variant "$HOME_DIR/deploy/hello.jar" 1.0.0 good
PORT_HERALD="$(free_port)"
export HERALD_ENV=production HERALD_SERVER_TOKEN=bench-token PROJECT_ROOT="$HOME_DIR" PORT="$PORT_HERALD"

echo "== start-up: bin/herald start to the first 200 on /api/echo"
STARTUPS=()
for run in 1 2 3; do
  started=$(now_ms)
  "$DIST/bin/herald" start >"$WORK/start-$run.log" 2>&1 &
  pid=$!
  # Polled every 50 ms (so up to 50 ms late): a curl every 10 ms takes CPU from the start it measures on 2 cores.
  until curl -fs -o /dev/null "http://127.0.0.1:$PORT_HERALD/api/echo?message=x"; do
    kill -0 "$pid" 2>/dev/null || { echo "herald exited; log:"; cat "$WORK/start-$run.log"; exit 1; }
    sleep 0.05
  done
  elapsed=$(( $(now_ms) - started ))
  STARTUPS+=("$elapsed")
  [[ $run == 1 ]] && label="first start of a new data directory (records the CDS archive)" || label="warm"
  echo "run $run: ${elapsed} ms ($label)"
  if [[ $run -lt 3 ]]; then kill -TERM "$pid"; wait "$pid" || true; else PIDS+=("$pid"); fi
done

PORT_BARE="$(free_port)"
java -cp "$DIST/bundle/*:$(ls "$DIST"/lib/slf4j-api-*.jar)" "$ROOT/bench/BareJetty.java" "$PORT_BARE" >"$WORK/bare.log" 2>&1 &
PIDS+=($!)
until curl -fs -o /dev/null "http://127.0.0.1:$PORT_BARE/"; do sleep 0.05; done
BARE_RPS=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$PORT_BARE/api/echo?message=x" | awk '/Requests\/sec/ {print $2}')

# Waits until status reports deploy/hello.jar in $1 (ACTIVE or REFUSED) with the running version $2; prints the ms.
# (A grep, not a JSON parser: a python3 per poll would cost more CPU than the deploy it measures.)
await_deployment() {
  local state=$1 version=$2 started=$3
  local pattern="\"file\":\"hello.jar\",\"bundle\":\"[^\"]*\",\"version\":\"${version//./\\.}\",\"state\":\"$state\""
  until curl -fs "http://127.0.0.1:$PORT_HERALD/api/status" | grep -q "$pattern"; do
    sleep 0.01
  done
  echo $(( $(now_ms) - started ))
}

# One change: the variant moved over deploy/hello.jar in one step (copy to a hidden name, then mv).
redeploy() {
  local version=$1 kind=$2 expect_state=$3 expect_version=$4
  variant "$WORK/next.jar" "$version" "$kind"
  cp "$WORK/next.jar" "$HOME_DIR/deploy/.hello.jar.tmp"
  local landed
  landed=$(now_ms)
  mv "$HOME_DIR/deploy/.hello.jar.tmp" "$HOME_DIR/deploy/hello.jar"
  await_deployment "$expect_state" "$expect_version" "$landed"
}

echo
echo "== 10 redeploys, then 10 with a broken jar before each good one, under wrk -c$CONNECTIONS on /api/echo"
wrk -t"$THREADS" -c"$CONNECTIONS" -d300s "http://127.0.0.1:$PORT_HERALD/api/echo?message=x" >"$WORK/wrk.txt" 2>&1 &
WRK_PID=$!
sleep 3
GOOD=()
BROKEN=()
for i in $(seq 1 10); do
  ms=$(redeploy "1.0.$i" good ACTIVE "1.0.$i"); GOOD+=("$ms"); echo "redeploy $i (1.0.$i): live in ${ms} ms"
  sleep 0.5
done
for i in $(seq 11 20); do
  ms=$(redeploy "1.0.$i.broken" broken REFUSED "1.0.$((i - 1))"); BROKEN+=("$ms")
  echo "broken 1.0.$i.broken: refused in ${ms} ms, 1.0.$((i - 1)) keeps serving"
  sleep 0.5
  ms=$(redeploy "1.0.$i" good ACTIVE "1.0.$i"); GOOD+=("$ms"); echo "redeploy 1.0.$i: live in ${ms} ms"
  sleep 0.5
done
kill -INT "$WRK_PID"
wait "$WRK_PID" || true

REQUESTS=$(awk '/requests in/ {print $1}' "$WORK/wrk.txt")
NON2XX=$(awk '/Non-2xx/ {print $NF}' "$WORK/wrk.txt")
SOCKET=$(awk -F'[ ,]+' '/Socket errors/ {print $4 + $6 + $8 + $10}' "$WORK/wrk.txt")
RPS=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
SLOWEST=$(printf '%s\n' "${GOOD[@]}" | sort -n | tail -n 1)
SLOWEST_REFUSAL=$(printf '%s\n' "${BROKEN[@]}" | sort -n | tail -n 1)

echo
echo "requests during the redeploys: ${REQUESTS:-0} (${RPS:-0} req/s at $CONNECTIONS connections; bare Jetty: ${BARE_RPS:-?} req/s)"
echo "failed requests: $(( ${NON2XX:-0} + ${SOCKET:-0} )) (non-2xx ${NON2XX:-0}, socket errors ${SOCKET:-0})"
echo "slowest redeploy (file landed to new version live): ${SLOWEST} ms; all: ${GOOD[*]}"
echo "slowest refusal of a broken jar: ${SLOWEST_REFUSAL} ms"
echo "start-up: ${STARTUPS[*]} ms (first start of a new data directory, then warm)"
echo "targets: 0 failed requests; each new version live within 300 ms; warm start-up <= 1100 ms; first start <= 1500 ms"
