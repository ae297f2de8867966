#!/usr/bin/env bash
# Is `kaiware bench` ever the bottleneck? (issue 6) Drives one redis-server with redis-benchmark and
# with `kaiware bench` (closed loop), alternately, ROUNDS times, without and with pipelining, and
# prints both tools' throughput side by side. Then the incident workload (open loop, RATE SET/s for
# COMPARE_DURATION) against Kaiware and redis-server in compare mode.
#
#   bench/generator.sh
#   ROUNDS=3 REQUESTS=400000 DURATION=5s CLIENTS=50 RATE=2500 COMPARE_DURATION=60s bench/generator.sh
#   COMPARE_DURATION=0 bench/generator.sh          # throughput rounds only
#
# Every run is bounded by `timeout`; the servers are stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

ROUNDS="${ROUNDS:-3}"
REQUESTS="${REQUESTS:-400000}"
DURATION="${DURATION:-5s}"
CLIENTS="${CLIENTS:-50}"
RATE="${RATE:-2500}"
COMPARE_DURATION="${COMPARE_DURATION:-60s}"
REDIS_PORT="${REDIS_PORT:-16479}"
KAIWARE_PORT="${KAIWARE_PORT:-16480}"

bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed >/dev/null
WORK="$(mktemp -d)"
trap bench_stop_servers EXIT
bench_start_redis "$REDIS_PORT"
bench_wait_ping "$REDIS_PORT"

kbench() {
  KAIWARE_NO_BUILD=1 timeout 300 "$ROOT/bin/kaiware" bench "$@"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(redis-server --version | cut -d' ' -f1-3)"
echo "commit:  $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "redis-benchmark -p $REDIS_PORT -t set -n $REQUESTS -c $CLIENTS -P <P> --csv"
echo "kaiware bench --port $REDIS_PORT --connections $CLIENTS --pipeline <P> --duration $DURATION --warmup 2s --format csv"
echo
printf '%-5s %3s %8s %18s %16s %26s\n' round P load "redis-benchmark/s" "kaiware bench/s" "kaiware bench p50/p99 ms"
for p in 1 16; do
  for round in $(seq 1 "$ROUNDS"); do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    rb="$(timeout 300 redis-benchmark -p "$REDIS_PORT" -t set -n "$REQUESTS" -c "$CLIENTS" -P "$p" --csv 2>/dev/null | tail -1 | tr -d '"' | cut -d, -f2)"
    kb="$(kbench --port "$REDIS_PORT" --connections "$CLIENTS" --pipeline "$p" --duration "$DURATION" --warmup 2s --format csv | tail -1)"
    # csv: name,address,mode,count,failed,success_pct,elapsed_s,rate_per_s,rate_per_min,avg,p50,p90,p95,p99,...
    printf '%-5s %3s %8s %18.0f %16.0f %26s\n' "$round" "$p" "$load" "$rb" "$(echo "$kb" | cut -d, -f8)" \
      "$(echo "$kb" | cut -d, -f11) / $(echo "$kb" | cut -d, -f14)"
  done
done

if [ "$COMPARE_DURATION" != 0 ]; then
  bench_start_kaiware "$KAIWARE_PORT"
  bench_wait_ping "$KAIWARE_PORT"
  echo
  echo "kaiware bench --target kaiware=127.0.0.1:$KAIWARE_PORT --target redis=127.0.0.1:$REDIS_PORT --rate $RATE --duration $COMPARE_DURATION --warmup 10s --command set --keys 100000 --value-size 32"
  echo "(load average $(cut -d' ' -f1-3 /proc/loadavg))"
  KAIWARE_NO_BUILD=1 timeout 900 "$ROOT/bin/kaiware" bench --target "kaiware=127.0.0.1:$KAIWARE_PORT" \
    --target "redis=127.0.0.1:$REDIS_PORT" --rate "$RATE" --duration "$COMPARE_DURATION" --warmup 10s \
    --command set --keys 100000 --value-size 32
fi
