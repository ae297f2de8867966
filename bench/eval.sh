#!/usr/bin/env bash
# EVAL throughput and latency: a script that only reads and one that writes, each at -P 1 and -P 16,
# against the built server (the embedded default: a durable one-member group) and, beside it,
# Debian's redis-server. A read-only script completes in its probe on the leader and writes no log
# entry; a script that writes is probed up to its first write, then goes through the log (ADR 0006).
#
#   bench/eval.sh                                   # -n 100000 (P1) / 300000 (P16), -c 50
#   OTHER_ROOT=/tmp/base bench/eval.sh              # also another checkout's built server (an A/B,
#                                                   # in alternating order)
#   ROUNDS=3 REQUESTS=100000 CLIENTS=50 bench/eval.sh
#
# Prints one line per server, workload and round: requests/s, p50 and p99 in ms (redis-benchmark).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

ROUNDS="${ROUNDS:-3}"
REQUESTS="${REQUESTS:-100000}"
CLIENTS="${CLIENTS:-50}"
PORT="${KAIWARE_PORT:-16460}"
REDIS_BENCH_PORT="${REDIS_BENCH_PORT:-16461}"
OTHER_ROOT="${OTHER_ROOT:-}"

bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed

READ_SCRIPT="return redis.call('get',KEYS[1])"
WRITE_SCRIPT="return redis.call('incr',KEYS[1])"

# run LABEL PORT: the four workloads against the server on PORT.
run() {
  local label="$1" port="$2" p n script name
  redis-cli -p "$port" set eval:r 1 >/dev/null
  redis-cli -p "$port" set eval:w 0 >/dev/null
  for p in 1 16; do
    n=$REQUESTS; [ "$p" = 16 ] && n=$((REQUESTS * 3))
    for name in read write; do
      if [ "$name" = read ]; then script=$READ_SCRIPT; key=eval:r; else script=$WRITE_SCRIPT; key=eval:w; fi
      redis-benchmark -p "$port" -c "$CLIENTS" -n "$n" -P "$p" --csv eval "$script" 1 "$key" 2>/dev/null | tail -n 1 \
        | awk -F, -v l="$label" -v w="eval-$name-P$p" \
            '{gsub(/"/, ""); printf "%-10s %-16s %10s req/s  p50 %6s ms  p99 %6s ms\n", l, w, $(NF-6), $(NF-3), $(NF-1)}'
    done
  done
}

# kaiware LABEL ROOT: a fresh server from ROOT's build, the workloads, then stop it.
kaiware() {
  local label="$1" root="$2"
  WORK="$(mktemp -d /tmp/kaiware-eval.XXXXXX)"
  KAIWARE_NO_BUILD=1 "$root/bin/kaiware" server --port "$PORT" --dir "$WORK" --loglevel warning > "$WORK/kaiware.log" 2>&1 &
  KAIWARE_PID=$!
  bench_wait_ping "$PORT"
  run "$label" "$PORT"
  bench_stop_servers
  KAIWARE_PID=""
}

trap bench_stop_servers EXIT
for round in $(seq 1 "$ROUNDS"); do
  echo "# round $round" >&2
  # the order alternates: whichever runs first in a round pays for a cold disk and page cache
  if [ -n "$OTHER_ROOT" ] && [ $((round % 2)) = 0 ]; then
    kaiware other "$OTHER_ROOT"
    kaiware kaiware "$ROOT"
  else
    kaiware kaiware "$ROOT"
    [ -n "$OTHER_ROOT" ] && kaiware other "$OTHER_ROOT"
  fi
  WORK="$(mktemp -d /tmp/kaiware-eval-redis.XXXXXX)"
  REDIS_PORT=$REDIS_BENCH_PORT
  bench_start_redis "$REDIS_PORT"
  bench_wait_ping "$REDIS_PORT"
  run redis "$REDIS_PORT"
  bench_stop_servers
  REDIS_PORT=""
done
