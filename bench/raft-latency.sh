#!/usr/bin/env bash
# Latency of a three-member Kaiware group at a fixed write rate (issue 5's figure): 2,500 SET/s over
# 100,000 keys against the leader for 10 minutes, open loop (latency from each request's scheduled
# time), with `kaiware bench`. Prints p50/p99/p99.9/max, the leader's memory, and its INFO raft
# (fsync and batch figures) at the end.
#
#   bench/raft-latency.sh                       # 1 min warm-up, 10 min measured
#   DURATION=3m WARMUP=30s bench/raft-latency.sh
#   RATE=5000 bench/raft-latency.sh
#
# Members are separate JVMs (client ports 6394-6396, Raft ports 7094-7096) with the server's default
# JVM options, data in a scratch dir removed on exit. Targets (issue 5): p50 <= 0.5 ms, p99 <= 2 ms,
# max <= 50 ms. Exit code 0 = the run completed (the targets are reported, not enforced).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
WORK="$(mktemp -d /tmp/kaiware-raft-latency.XXXXXX)"
. "$ROOT/bench/lib.sh"
bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed >/dev/null
DURATION="${DURATION:-10m}"
WARMUP="${WARMUP:-1m}"
RATE="${RATE:-2500}"
KEYS="${KEYS:-100000}"
PEERS="n1=127.0.0.1:7094,n2=127.0.0.1:7095,n3=127.0.0.1:7096"
declare -A PID
port_of() { echo "639$(( ${1#n} + 3 ))"; }

stop_all() {
  for id in "${!PID[@]}"; do kill "${PID[$id]}" 2>/dev/null || true; done
  for id in "${!PID[@]}"; do wait "${PID[$id]}" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap stop_all EXIT

for id in n1 n2 n3; do
  bench_start_member "$id" "$PEERS" "$(port_of "$id")"
  PID[$id]=$MEMBER_PID
done
bench_wait_ping 6394 6395 6396
leader="$(bench_raft_leader n1=6394 n2=6395 n3=6396)" || { tail -n 20 "$WORK"/*.log >&2; exit 1; }
port="$(port_of "$leader")"
echo "raft-latency: 3 members, leader $leader (port $port), $RATE SET/s, $KEYS keys, warm-up $WARMUP, measured $DURATION"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
KAIWARE_NO_BUILD=1 "$ROOT/bin/kaiware" bench --port "$port" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" \
  -c 50 --command set --keys "$KEYS" --value-size 32 --pid "${PID[$leader]}" --memory-interval 10s
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
redis-cli -p "$port" info raft | grep -E '^raft_(role|term|fsync|batch)' || true
