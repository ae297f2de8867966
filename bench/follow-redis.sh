#!/usr/bin/env bash
# How fast a Kaiware server follows a Redis master (REPLICAOF host port, docs/operations.md):
#   1. the copy: redis-server holds KEYS strings (DEBUG POPULATE, 16-byte values); Kaiware (the
#      embedded default: a durable one-member group, unless KAIWARE_OPTS says otherwise) is told
#      REPLICAOF and the time until its link is up with every key is printed;
#   2. the stream: redis-benchmark writes WRITES SETs (-P 16, -c 50, random keys) into Redis while
#      Kaiware follows; printed: Redis's write rate, and how long after the benchmark ended
#      Kaiware's offset reached Redis's (the lag left to apply), and the rate Kaiware applied at.
#
#   bench/follow-redis.sh                       # KEYS=1000000 WRITES=1000000
#   KEYS=200000 WRITES=300000 bench/follow-redis.sh
#   KAIWARE_OPTS="--non-durable-cache yes" bench/follow-redis.sh
# Bounded: each wait gives up after 300 s.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

KEYS="${KEYS:-1000000}"
WRITES="${WRITES:-1000000}"
REDIS_PORT="${REDIS_PORT:-16482}"
KAIWARE_PORT="${KAIWARE_PORT:-16483}"
KAIWARE_OPTS="${KAIWARE_OPTS:-}"

bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed
WORK="$(mktemp -d /tmp/kaiware-follow.XXXXXX)"
trap bench_stop_servers EXIT
bench_start_redis "$REDIS_PORT" --enable-debug-command yes
# shellcheck disable=SC2086 # options are words
bench_start_kaiware "$KAIWARE_PORT" $KAIWARE_OPTS
bench_wait_ping "$REDIS_PORT" "$KAIWARE_PORT"

now_ms() { date +%s%3N; }
info_field() { redis-cli -p "$1" info replication | tr -d '\r' | sed -n "s/^$2://p"; }
# wait_until SECONDS COMMAND...: polls every 50 ms; fails after SECONDS.
wait_until() {
  local deadline=$(( $(date +%s) + $1 ))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "gave up waiting: $*" >&2; exit 1; }
    sleep 0.05
  done
}

redis-cli -p "$REDIS_PORT" debug populate "$KEYS" key 16 >/dev/null
echo "redis: $(redis-cli -p "$REDIS_PORT" dbsize) keys, used_memory $(redis-cli -p "$REDIS_PORT" info memory | tr -d '\r' | sed -n 's/^used_memory_human://p')"

start=$(now_ms)
redis-cli -p "$KAIWARE_PORT" replicaof 127.0.0.1 "$REDIS_PORT" >/dev/null
copy_done() { [ "$(info_field "$KAIWARE_PORT" master_link_status)" = up ] && [ "$(redis-cli -p "$KAIWARE_PORT" dbsize)" = "$KEYS" ]; }
wait_until 300 copy_done
copy_ms=$(( $(now_ms) - start ))
echo "copy: $KEYS keys followed in $copy_ms ms ($(( KEYS * 1000 / (copy_ms > 0 ? copy_ms : 1) )) keys/s), link up"

start=$(now_ms)
redis-benchmark -p "$REDIS_PORT" -t set -n "$WRITES" -r "$KEYS" -c 50 -P 16 -q | tr '\r' '\n' | grep -a 'SET:' | tail -n 1
bench_ms=$(( $(now_ms) - start ))
target=$(info_field "$REDIS_PORT" master_repl_offset)
caught_up() { [ "$(info_field "$KAIWARE_PORT" slave_repl_offset)" -ge "$target" ]; }
wait_until 300 caught_up
total_ms=$(( $(now_ms) - start ))
echo "stream: $WRITES SETs written to Redis in $bench_ms ms; Kaiware had applied them $(( total_ms - bench_ms )) ms after the benchmark ended ($(( WRITES * 1000 / total_ms )) writes/s applied overall)"
redis-cli -p "$KAIWARE_PORT" replicaof no one >/dev/null
redis_keys=$(redis-cli -p "$REDIS_PORT" dbsize)
kaiware_keys=$(redis-cli -p "$KAIWARE_PORT" dbsize)
echo "after REPLICAOF NO ONE: redis $redis_keys keys, kaiware $kaiware_keys keys"
[ "$redis_keys" = "$kaiware_keys" ] || { echo "the key counts differ" >&2; exit 1; }
