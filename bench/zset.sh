#!/usr/bin/env bash
# Sorted sets with 1,000,000 members: Kaiware and Debian's redis-server in the same run.
#
#   bench/zset.sh                          # 1M members; -n 200000 -c 50; -P 1 and -P 16
#   MEMBERS=1000000 REQUESTS=200000 CLIENTS=50 PIPELINES="1 16" SMALL_SETS=20000 bench/zset.sh
#   PIPELINES=0 KAIWARE_JAVA_OPTS="-XX:+UseG1GC -Xms1g" bench/zset.sh   # memory only, another GC
#
# 1. Fills `zbench` on both servers with the same MEMBERS members `member:%012d` (the form
#    redis-benchmark gives __rand_int__) and pseudo-random integer scores, 500 per ZADD, and prints
#    memory per member: Redis `used_memory` delta; Kaiware live heap delta after a full GC (admin
#    port /debug/heap, which runs the GC) and, beside it, `MEMORY USAGE zbench` (Kaiware's own
#    per-node estimate; Redis's with SAMPLES 0, i.e. every member).
# 2. Runs redis-benchmark -r MEMBERS against each server, one after the other, after a quarter-size
#    warm-up pass: ZADD (updates a random member to a random score), ZINCRBY, the top 10 by rank
#    (ZRANGE 0 9 REV WITHSCORES) and 10 by score from a random score (BYSCORE LIMIT 0 10).
# 3. Memory per member of SMALL_SETS sets of 16 members (Redis keeps these in a listpack;
#    Kaiware always uses the skip list): what a compact small-set encoding would save.
# Figures: docs/benchmarks/zset.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

MEMBERS="${MEMBERS:-1000000}"
REQUESTS="${REQUESTS:-200000}"
CLIENTS="${CLIENTS:-50}"
PIPELINES="${PIPELINES:-1 16}"
SMALL_SETS="${SMALL_SETS:-20000}"
REDIS_PORT="${REDIS_PORT:-16379}"
KAIWARE_PORT="${KAIWARE_PORT:-16380}"
ADMIN_PORT="${ADMIN_PORT:-16381}"
KAIWARE_OPTS="${KAIWARE_OPTS:-}"

bench_ensure_redis
"$ROOT/bin/kaiware" build --if-needed >/dev/null
WORK="$(mktemp -d)"
trap bench_stop_servers EXIT
bench_start_redis "$REDIS_PORT"
# shellcheck disable=SC2086
bench_start_kaiware "$KAIWARE_PORT" --admin-port "$ADMIN_PORT" $KAIWARE_OPTS
bench_wait_ping "$REDIS_PORT" "$KAIWARE_PORT"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(redis-server --version | cut -d' ' -f1-3)"
echo "kaiware: $(redis-cli -p "$KAIWARE_PORT" info server | grep -E '^kaiware_(version|git_commit)' | tr -d '\r' | tr '\n' ' ')"
echo "source:  $(git -C "$ROOT" log -1 --format='%h %s' | cut -c1-72)$(git -C "$ROOT" diff --quiet HEAD -- '*.java' '*.xml' || echo ' (uncommitted Java/POM changes)')"
echo "java:    $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); kaiware JVM options: ${KAIWARE_JAVA_OPTS:-defaults}"
echo "load:    $(uptime | sed 's/.*load average/load average/')"
echo

redis_used() { redis-cli -p "$REDIS_PORT" info memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r'; }
# Live heap bytes after a full GC (the /debug/heap histogram header), and the histogram's id.
kaiware_live() { timeout 120 curl -sf "http://127.0.0.1:$ADMIN_PORT/debug/heap?top=1" | sed -n 's/.* id=\([0-9]*\) .* bytes=\([0-9]*\).*/\1 \2/p'; }
per() { awk -v d="$1" -v n="$2" 'BEGIN { printf "%.1f", d / n }'; }

# RESP for `ZADD key score member ...` on KEYS keys (`prefix`, or `prefix:0` ... when KEYS > 1) of
# PER members each, 500 members per command; scores from a fixed-seed LCG.
zadd_resp() { # prefix keys per
  awk -v prefix="$1" -v keys="$2" -v per="$3" 'BEGIN {
    s = 12345; batch = 500 # Park-Miller: products stay exact in awk doubles
    for (k = 0; k < keys; k++) {
      key = keys > 1 ? prefix ":" k : prefix
      for (i = 0; i < per; i += batch) {
        n = (per - i < batch) ? per - i : batch
        printf "*%d\r\n$4\r\nZADD\r\n$%d\r\n%s\r\n", 2 + 2 * n, length(key), key
        for (j = i; j < i + n; j++) {
          s = (s * 16807) % 2147483647
          score = sprintf("%d", s % 1000000); member = sprintf("member:%012d", j)
          printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(score), score, length(member), member
        }
      }
    }
  }'
}

zadd_resp zbench 1 "$MEMBERS" > "$WORK/fill.resp"
redis_before=$(redis_used)
read -r heap_id kaiware_before < <(kaiware_live)
for port in "$REDIS_PORT" "$KAIWARE_PORT"; do
  timeout 600 redis-cli -p "$port" --pipe < "$WORK/fill.resp" | tail -1
done
redis_after=$(redis_used)
read -r _ kaiware_after < <(kaiware_live)
redis_card=$(redis-cli -p "$REDIS_PORT" zcard zbench)
kaiware_card=$(redis-cli -p "$KAIWARE_PORT" zcard zbench)
redis_usage=$(redis-cli -p "$REDIS_PORT" memory usage zbench samples 0)
kaiware_usage=$(redis-cli -p "$KAIWARE_PORT" memory usage zbench)
echo
echo "memory for zbench ($redis_card members in Redis, $kaiware_card in Kaiware), bytes per member:"
echo "  redis   used_memory delta        $((redis_after - redis_before)) B = $(per $((redis_after - redis_before)) "$redis_card") B/member"
echo "  redis   MEMORY USAGE SAMPLES 0   $redis_usage B = $(per "$redis_usage" "$redis_card") B/member"
echo "  kaiware live heap delta (GC'd)   $((kaiware_after - kaiware_before)) B = $(per $((kaiware_after - kaiware_before)) "$kaiware_card") B/member"
echo "  kaiware MEMORY USAGE (estimate)  $kaiware_usage B = $(per "$kaiware_usage" "$kaiware_card") B/member"
echo "  kaiware live heap growth by class (/debug/heap?diff=$heap_id):"
timeout 120 curl -sf "http://127.0.0.1:$ADMIN_PORT/debug/heap?diff=$heap_id&top=8" | grep -v '^#' | sed 's/^/    /'
echo

run() { # port pipeline command... -> csv line: "TEST","rps","avg","min","p50","p95","p99","max"
  local port="$1" p="$2"
  shift 2
  # (redis-benchmark retries forever when a server goes away: every run is bounded by timeout.)
  timeout 600 redis-benchmark -p "$port" -n $((REQUESTS / 4)) -c "$CLIENTS" -P "$p" -r "$MEMBERS" -q "$@" >/dev/null 2>&1
  timeout 600 redis-benchmark -p "$port" -n "$REQUESTS" -c "$CLIENTS" -P "$p" -r "$MEMBERS" --csv "$@" 2>/dev/null | tail -n +2
}

[ "$PIPELINES" = 0 ] && PIPELINES=""
[ -n "$PIPELINES" ] && echo "command: redis-benchmark -n $REQUESTS -c $CLIENTS -P <P> -r $MEMBERS --csv <command>"
[ -n "$PIPELINES" ] && printf '%-52s %3s %12s %12s %7s   %10s %10s %7s\n' command P "redis rps" "kaiware rps" ratio "redis p99" "kw p99" ratio
for p in $PIPELINES; do
  while IFS= read -r line; do
    read -ra cmd <<< "$line"
    r=$(run "$REDIS_PORT" "$p" "${cmd[@]}")
    k=$(run "$KAIWARE_PORT" "$p" "${cmd[@]}")
    printf '%s,%s\n' "$r" "$k" | tr -d '"' | awk -F, -v p="$p" -v name="$line" '{
      printf "%-52s %3s %12.0f %12.0f %6.2fx   %8.3fms %8.3fms %6.2fx\n", name, p, $2, $10, $10/$2, $7, $15, ($7 > 0 ? $15/$7 : 0) }'
  done <<'EOF'
ZADD zbench __rand_int__ member:__rand_int__
ZINCRBY zbench 7 member:__rand_int__
ZRANGE zbench 0 9 REV WITHSCORES
ZRANGE zbench __rand_int__ +inf BYSCORE LIMIT 0 10 WITHSCORES
EOF
done
echo "after the runs: ZCARD zbench redis $(redis-cli -p "$REDIS_PORT" zcard zbench), kaiware $(redis-cli -p "$KAIWARE_PORT" zcard zbench)"

if [ "$SMALL_SETS" != 0 ]; then
  zadd_resp small "$SMALL_SETS" 16 > "$WORK/small.resp"
  redis_before=$(redis_used)
  read -r _ kaiware_before < <(kaiware_live)
  for port in "$REDIS_PORT" "$KAIWARE_PORT"; do
    timeout 600 redis-cli -p "$port" --pipe < "$WORK/small.resp" >/dev/null
  done
  redis_after=$(redis_used)
  read -r _ kaiware_after < <(kaiware_live)
  n=$((SMALL_SETS * 16))
  echo
  echo "small sets: $SMALL_SETS keys of 16 members ($n members); bytes per member, key and set overhead included:"
  echo "  redis   used_memory delta        $(per $((redis_after - redis_before)) $n) B/member (encoding $(redis-cli -p "$REDIS_PORT" object encoding small:0))"
  echo "  kaiware live heap delta (GC'd)   $(per $((kaiware_after - kaiware_before)) $n) B/member (encoding $(redis-cli -p "$KAIWARE_PORT" object encoding small:0))"
  echo "  redis   MEMORY USAGE small:0     $(redis-cli -p "$REDIS_PORT" memory usage small:0) B; kaiware $(redis-cli -p "$KAIWARE_PORT" memory usage small:0) B"
fi
echo "load:    $(uptime | sed 's/.*load average/load average/')"
