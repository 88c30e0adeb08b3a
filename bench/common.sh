# Shared by the bench/*.sh scripts (sourced, not run): a free loopback port, the time in ms, a process's CPU time, and a
# work directory whose background processes (listed in PIDS) are killed and which is removed when the script exits.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
now_ms() { date +%s%3N; }

# CPU time (user + system, in clock ticks) of a process and its children (bin/herald runs java as a child; nginx's
# master has its workers): req/s depends on what else the shared machine runs, CPU time per request much less.
cpu_ticks() {
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    [[ -r /proc/$p/stat ]] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  echo "$total"
}
HZ=$(getconf CLK_TCK)

WORK="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
