#!/usr/bin/env bash
# Memory per key of the server as shipped, beside Redis: issue 3's figure. Loads N keys `key:0` ...
# `key:<N-1>`, each a distinct 16-byte value, into Debian's redis-server 7.0.15 (no persistence) and
# into `bin/kaiware server` with its default JVM options on the embedded default (a durable
# one-member Raft group), and prints, per server, the growth of
#   - used memory: Redis's used_memory; for Kaiware, its INFO used_memory (the heap in use) after two
#     full collections, and the live heap: the total of a class histogram of live objects (jcmd
#     GC.class_histogram). ZGC counts the heap in use by whole pages (2 MB and up), so the first moves
#     in steps of megabytes; the second is exact;
#   - process RSS (VmRSS).
# For Kaiware it also prints the heap after a snapshot (BGSAVE), which lets Raft drop the log entries
# of the load from its in-memory segment cache: what stays is the dataset.
#
#   bench/memory-per-key.sh                  # 1,000,000 keys
#   KEYS=2000000 bench/memory-per-key.sh
#   KAIWARE_JAVA_OPTS="-XX:+UseZGC -Xms1g" bench/memory-per-key.sh   # other JVM options
#
# Needs python3 (to write the load) and the JDK's jcmd; redis-server and redis-cli are installed from
# Debian when missing. Runs about a minute.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

KEYS="${KEYS:-1000000}"
REDIS_PORT="${REDIS_PORT:-16379}"
KAIWARE_PORT="${KAIWARE_PORT:-16380}"

bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed
WORK="$(mktemp -d /tmp/kaiware-memory.XXXXXX)"
trap bench_stop_servers EXIT

python3 - "$KEYS" > "$WORK/load.resp" <<'EOF'
import random, sys
n = int(sys.argv[1]); rnd = random.Random(42); out = sys.stdout
for i in range(n):
    key = 'key:%d' % i
    out.write('*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$16\r\n%016x\r\n' % (len(key), key, rnd.getrandbits(64)))
EOF

rss_bytes() { echo $(( $(awk '/^VmRSS:/ {print $2}' "/proc/$1/status") * 1024 )); }
used_memory() { redis-cli -p "$1" info memory | tr -d '\r' | awk -F: '$1 == "used_memory" {print $2}'; }
full_gc() { "$JAVA_HOME/bin/jcmd" "$1" GC.run > /dev/null; sleep 1; "$JAVA_HOME/bin/jcmd" "$1" GC.run > /dev/null; sleep 1; }
live_heap() { "$JAVA_HOME/bin/jcmd" "$1" GC.class_histogram | awk '$1 == "Total" {print $3}'; }
load() { redis-cli -p "$1" --pipe < "$WORK/load.resp" | tail -n 1; [ "$(redis-cli -p "$1" dbsize)" = "$KEYS" ]; }
per_key() { awk -v a="$1" -v b="$2" -v n="$KEYS" 'BEGIN { printf "%.1f", (b - a) / n }'; }

echo "keys: $KEYS, values 16 bytes; $(redis-server --version | cut -d' ' -f1-3); java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)"

bench_start_redis "$REDIS_PORT"
bench_wait_ping "$REDIS_PORT"
redis_pid="$(redis-cli -p "$REDIS_PORT" info server | tr -d '\r' | awk -F: '$1 == "process_id" {print $2}')"
r_used0=$(used_memory "$REDIS_PORT"); r_rss0=$(rss_bytes "$redis_pid")
load "$REDIS_PORT" >&2
r_used1=$(used_memory "$REDIS_PORT"); r_rss1=$(rss_bytes "$redis_pid")
redis-cli -p "$REDIS_PORT" shutdown nosave > /dev/null 2>&1 || true

bench_start_kaiware "$KAIWARE_PORT"
bench_wait_ping "$KAIWARE_PORT"
echo "kaiware: $(tr '\0' ' ' < "/proc/$KAIWARE_PID/cmdline" | grep -oE -- '-XX:\S+|-Xm\S+' | tr '\n' ' ')"
full_gc "$KAIWARE_PID"
k_used0=$(used_memory "$KAIWARE_PORT"); k_rss0=$(rss_bytes "$KAIWARE_PID"); k_live0=$(live_heap "$KAIWARE_PID")
load "$KAIWARE_PORT" >&2
full_gc "$KAIWARE_PID"
k_used1=$(used_memory "$KAIWARE_PORT"); k_rss1=$(rss_bytes "$KAIWARE_PID"); k_live1=$(live_heap "$KAIWARE_PID")
before_save="$(redis-cli -p "$KAIWARE_PORT" lastsave)"
redis-cli -p "$KAIWARE_PORT" bgsave > /dev/null
for _ in $(seq 1 300); do [ "$(redis-cli -p "$KAIWARE_PORT" lastsave)" != "$before_save" ] && break; sleep 0.1; done
sleep 2
full_gc "$KAIWARE_PID"
k_used2=$(used_memory "$KAIWARE_PORT"); k_rss2=$(rss_bytes "$KAIWARE_PID"); k_live2=$(live_heap "$KAIWARE_PID")

printf '\n%-36s %14s %14s %10s\n' "server" "before" "after" "B/key"
printf '%-36s %14s %14s %10s\n' "redis used_memory" "$r_used0" "$r_used1" "$(per_key "$r_used0" "$r_used1")"
printf '%-36s %14s %14s %10s\n' "redis RSS" "$r_rss0" "$r_rss1" "$(per_key "$r_rss0" "$r_rss1")"
printf '%-36s %14s %14s %10s\n' "kaiware used_memory after GC" "$k_used0" "$k_used1" "$(per_key "$k_used0" "$k_used1")"
printf '%-36s %14s %14s %10s\n' "kaiware used_memory, after BGSAVE" "$k_used0" "$k_used2" "$(per_key "$k_used0" "$k_used2")"
printf '%-36s %14s %14s %10s\n' "kaiware live heap" "$k_live0" "$k_live1" "$(per_key "$k_live0" "$k_live1")"
printf '%-36s %14s %14s %10s\n' "kaiware live heap, after BGSAVE" "$k_live0" "$k_live2" "$(per_key "$k_live0" "$k_live2")"
printf '%-36s %14s %14s %10s\n' "kaiware RSS" "$k_rss0" "$k_rss1" "$(per_key "$k_rss0" "$k_rss1")"
printf '%-36s %14s %14s %10s\n' "kaiware RSS, after BGSAVE" "$k_rss0" "$k_rss2" "$(per_key "$k_rss0" "$k_rss2")"
echo
echo "largest classes on Kaiware's heap after BGSAVE (jcmd GC.class_histogram):"
"$JAVA_HOME/bin/jcmd" "$KAIWARE_PID" GC.class_histogram | sed -n '4,9p'
