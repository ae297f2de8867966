#!/usr/bin/env bash
# Failover time of a three-member Kaiware group on this machine: from `kill -9` of the leader to the
# first write acknowledged by the new leader (a client polling both survivors every ~10 ms).
#
#   bench/failover.sh [runs]        default 5 runs; each is bounded (30 s to elect, 30 s to write)
#
# Members are separate JVMs (client ports 6391-6393, Raft ports 7091-7093), data in a scratch dir,
# default settings (raft-election-timeout-ms 300). Prints one line per run and the summary.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
WORK="$(mktemp -d /tmp/kaiware-failover.XXXXXX)"
. "$ROOT/bench/lib.sh"
bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed >/dev/null
RUNS="${1:-5}"
PEERS="n1=127.0.0.1:7091,n2=127.0.0.1:7092,n3=127.0.0.1:7093"
declare -A PID
port_of() { echo "639${1#n}"; }

# Members run with small heaps here (three JVMs on the machine), unless KAIWARE_JAVA_OPTS says otherwise.
export KAIWARE_JAVA_OPTS="${KAIWARE_JAVA_OPTS:--XX:+UseZGC -Xms256m}"
start_member() {
  bench_start_member "$1" "$PEERS" "$(port_of "$1")"
  PID[$1]=$MEMBER_PID
}

stop_all() {
  for id in "${!PID[@]}"; do kill -9 "${PID[$id]}" 2>/dev/null || true; done
  for id in "${!PID[@]}"; do wait "${PID[$id]}" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap stop_all EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

leader() { bench_raft_leader n1=6391 n2=6392 n3=6393; }

for id in n1 n2 n3; do start_member "$id"; done
bench_wait_ping 6391 6392 6393
echo "failover: 3 members, $RUNS runs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
results=()
for run in $(seq 1 "$RUNS"); do
  old="$(leader)"
  # A write through the old leader first, so the group is known to be healthy.
  timeout 2 redis-cli -p "$(port_of "$old")" set failover:warmup "$run" >/dev/null
  survivors=()
  for id in n1 n2 n3; do [ "$id" = "$old" ] || survivors+=("$id"); done
  t0="$(now_ms)"
  kill -9 "${PID[$old]}"
  acked=""
  deadline=$(( t0 + 30000 ))
  while [ -z "$acked" ] && [ "$(now_ms)" -lt "$deadline" ]; do
    for id in "${survivors[@]}"; do
      if [ "$(timeout 1 redis-cli -p "$(port_of "$id")" set failover:key "$run" 2>/dev/null)" = OK ]; then
        acked="$id"; break
      fi
    done
    [ -n "$acked" ] || sleep 0.01
  done
  t1="$(now_ms)"
  wait "${PID[$old]}" 2>/dev/null || true
  if [ -z "$acked" ]; then
    echo "run $run: killed $old, no write acknowledged within 30 s" >&2
    exit 1
  fi
  ms=$(( t1 - t0 ))
  results+=("$ms")
  echo "run $run: killed leader $old -> first acknowledged write on $acked after $ms ms"
  start_member "$old"
  bench_wait_ping "$(port_of "$old")"
  sleep 2 # let the restarted member catch up before the next kill
done
sorted="$(printf '%s\n' "${results[@]}" | sort -n | tr '\n' ' ')"
echo "failover ms (sorted): $sorted; load average $(cut -d' ' -f1-3 /proc/loadavg)"
