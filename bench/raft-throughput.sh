#!/usr/bin/env bash
# Single-server throughput of the Raft-wired server against the in-memory path, and a 3-member
# group, with the same redis-benchmark command each time:
#
#   redis-benchmark -t set,get -P 16 -c 50 -n 200000 -q
#
#   bench/raft-throughput.sh [BEFORE_DIR]
#
# Runs, one after the other, each on a fresh data dir with a 600,000-request warm-up pass first:
#   1. BEFORE_DIR (optional): a build of an older commit (its kaiware-cli/target/{kaiware.jar,lib}),
#      e.g. `git archive 77ed244 | tar -x -C /tmp/kw-before && (cd /tmp/kw-before && ./mvnw -o -q
#      -DskipTests package -pl kaiware-cli -am)`: the server before the Raft wiring;
#   2. this build with --non-durable-cache yes (no log);
#   3. this build, default: a durable one-member Raft group;
#   4. this build, a 3-member group on this machine (benchmark against the leader);
#   5. redis-server (no persistence) for scale.
# Prints each figure with the load average before the run (the machine is shared, compare rows of
# one run only) and each server process's CPU microseconds per request.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
WORK="$(mktemp -d /tmp/kaiware-raft-bench.XXXXXX)"
. "$ROOT/bench/lib.sh"
bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed >/dev/null
BEFORE="${1:-}"
JAVA_OPTS="${KAIWARE_JAVA_OPTS:--XX:+UseZGC -Xms256m}"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  redis-cli -p 16399 shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# server JAR_DIR LOGNAME args...: starts a server from a built tree, records its pid.
server() {
  local tree="$1" name="$2"
  shift 2
  # shellcheck disable=SC2086 # options are words
  "$JAVA_HOME/bin/java" $KAIWARE_JVM_BASE_OPTS $JAVA_OPTS \
    -cp "$tree/kaiware-cli/target/kaiware.jar:$tree/kaiware-cli/target/lib/*" io.kaiware.cli.Main server \
    --loglevel warning "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=("$!")
}

stop_all() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}

# cpu_ticks PID...: user+system CPU ticks of each process, space separated.
cpu_ticks() {
  local p f
  for p in "$@"; do
    read -r -a f < "/proc/$p/stat"
    printf '%s ' $((f[13] + f[14]))
  done
}

# cpu_per_request N "BEFORE" "AFTER": each process's CPU microseconds per request over the run.
cpu_per_request() {
  local n="$1" hz
  hz="$(getconf CLK_TCK)"
  paste -d' ' <(tr ' ' '\n' <<< "$2" | grep .) <(tr ' ' '\n' <<< "$3" | grep .) \
    | awk -v n="$n" -v hz="$hz" '{ printf "%s%.2f", (NR > 1 ? " / " : ""), ($2 - $1) * 1e6 / hz / n } END { print " us" }'
}

# measure LABEL PORT PID...: SET then GET; prints throughput and, for each PID (the server, or each
# member of a group, leader first), its CPU time per request: on two cores, what caps a group's
# throughput is the sum of its members' CPU per write plus redis-benchmark's own.
measure() {
  local label="$1" port="$2" test load before line
  shift 2
  # Warm-up long enough for the JIT to settle (with 50,000 requests a quarter of the CPU profile of
  # the measured run was still the compiler).
  redis-benchmark -p "$port" -t set,get -P 16 -c 50 -n 600000 -q >/dev/null 2>&1
  for test in set get; do
    load="$(cut -d' ' -f1-3 /proc/loadavg)"
    before="$(cpu_ticks "$@")"
    line="$(redis-benchmark -p "$port" -t "$test" -P 16 -c 50 -n 200000 -q 2>/dev/null | tr '\r' '\n' \
      | grep 'requests per second' | tail -1)"
    echo "$label | load $load | $line | server CPU per request $(cpu_per_request 200000 "$before" "$(cpu_ticks "$@")")"
  done
}

if [ -n "$BEFORE" ]; then
  mkdir -p "$WORK/before"
  server "$BEFORE" before --port 16391 --dir "$WORK/before"
  bench_wait_ping 16391
  measure "before (${BEFORE})" 16391 "${PIDS[0]}"
  stop_all
fi

mkdir -p "$WORK/cache"
server "$ROOT" cache --port 16392 --dir "$WORK/cache" --non-durable-cache yes
bench_wait_ping 16392
measure "non-durable-cache" 16392 "${PIDS[0]}"
stop_all

mkdir -p "$WORK/one"
server "$ROOT" one --port 16393 --dir "$WORK/one"
bench_wait_ping 16393
measure "raft, one member (default)" 16393 "${PIDS[0]}"
stop_all

PEERS="n1=127.0.0.1:17391,n2=127.0.0.1:17392,n3=127.0.0.1:17393"
for i in 1 2 3; do
  mkdir -p "$WORK/n$i"
  server "$ROOT" "n$i" --port "1639$((3 + i))" --dir "$WORK/n$i" --node "n$i" --peers "$PEERS"
done
bench_wait_ping 16394 16395 16396
leader_port=""
for _ in $(seq 1 300); do
  for port in 16394 16395 16396; do
    if redis-cli -p "$port" raft info 2>/dev/null | grep -q '^raft_leader_ready:1'; then leader_port="$port"; break 2; fi
  done
  sleep 0.1
done
[ -n "$leader_port" ] || { echo "no leader in 30 s" >&2; exit 1; }
leader_pid="${PIDS[$((leader_port - 16394))]}"
follower_pids=()
for i in 0 1 2; do [ "$((16394 + i))" = "$leader_port" ] || follower_pids+=("${PIDS[$i]}"); done
measure "raft, three members (leader, then followers)" "$leader_port" "$leader_pid" "${follower_pids[@]}"
stop_all

redis-server --port 16399 --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --dir "$WORK" --logfile "$WORK/redis.log"
bench_wait_ping 16399
measure "redis-server 7.0 (no persistence)" 16399 "$(redis-cli -p 16399 info server | tr -d '\r' | sed -n 's/^process_id://p')"
redis-cli -p 16399 shutdown nosave >/dev/null 2>&1 || true
