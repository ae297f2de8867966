#!/usr/bin/env bash
# Heap bytes the server allocates per request, per redis-benchmark test: the figure to measure
# before and after a change to a hot path (allocation is what drives the collector). It is the
# delta of INFO memory's jvm_allocated_bytes (every JVM thread's allocations, summed) over N
# requests, divided by N — independent of the machine's load, unlike throughput.
#
#   bench/alloc.sh                                   # --non-durable-cache yes: the engine and I/O path
#   KAIWARE_OPTS="" bench/alloc.sh                   # the durable default (adds Raft's allocations)
#   TESTS="get incr" N=2000000 bench/alloc.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

PORT="${KAIWARE_PORT:-16420}"
if [ -z "${KAIWARE_OPTS+set}" ]; then KAIWARE_OPTS="--non-durable-cache yes"; fi
TESTS="${TESTS:-ping_mbulk set get incr mset}"
N="${N:-1000000}"
WORK="$(mktemp -d /tmp/kaiware-alloc.XXXXXX)"
trap bench_stop_servers EXIT
bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed
# shellcheck disable=SC2086 # options are words
bench_start_kaiware "$PORT" $KAIWARE_OPTS
bench_wait_ping "$PORT"

allocated() { redis-cli -p "$PORT" info memory | tr -d '\r' | awk -F: '/^jvm_allocated_bytes:/ {print $2}'; }
[ "$(allocated)" -ge 0 ] || { echo "this JVM does not count allocated bytes" >&2; exit 1; }
echo "warm-up: 500,000 requests each of set, get, incr, ping at -P 16" >&2
redis-benchmark -p "$PORT" -t set,get,incr,ping -n 500000 -P 16 -c 50 -q >/dev/null
printf '%-12s %3s %12s\n' test P bytes/request
for pipeline in 16 1; do
  for t in $TESTS; do
    n=$N; [ "$pipeline" = 1 ] && n=$((N / 5))
    before=$(allocated)
    redis-benchmark -p "$PORT" -t "$t" -n "$n" -P "$pipeline" -c 50 -q >/dev/null
    after=$(allocated)
    printf '%-12s %3s %12s\n' "$t" "$pipeline" "$(( (after - before) / n ))"
  done
done
