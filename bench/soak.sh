#!/usr/bin/env bash
# The soak of incident 3: 2,500 SET/s overwriting 100,000 keys for 10 minutes, with `kaiware bench`
# sampling the server's private memory and latency. PASS when private memory is flat after warm-up
# (slope under 1 MB per 10 min = 102.4 KB/min) and the maximum latency stays under 50 ms.
#
# Warm-up is 10 minutes: the JIT keeps compiling at this rate for ~12 minutes after start, and Native
# Memory Tracking shows its code cache still growing by ~80 KB/min between minutes 4 and 10 (most
# of the 102.4 KB/min gate) and flat after minute 12 (docs/benchmarks/soak.md, "Where the slope
# comes from"). Earlier runs used 5 minutes (runs F-H: glibc's arenas had stopped stepping up).
#
#   bench/soak.sh                                   # a local server on the embedded default, 10 min
#   DURATION=2m bench/soak.sh                       # shorter
#   KAIWARE_JAVA_OPTS="-XX:+UseG1GC -Xms256m" bench/soak.sh  # another collector (the GC log says which)
#   PORT=6381 bench/soak.sh                         # an already running server (e.g. a group's leader)
#   SERVER_PORT=16400 bench/soak.sh                 # the local server on another port (two soaks side by side)
#   SERVER_ARGS="--non-durable-cache yes" bench/soak.sh  # server options (here: the in-memory path)
#   (KAIWARE_JAVA_OPTS applies to the server it starts; BENCH_JAVA_OPTS to the load generator.)
#
# Writes the bench report, the timeline CSV, the memory/p99 SVG chart, the server's LATENCY LATEST and
# INFO raft at the end (server-after.txt) and (for a local server) the GC log, its pause summary and
# the server log (stalls over 20 ms are logged as "writes delayed") into OUT (default: a new directory
# under /tmp). Exit code 0 = PASS.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bin/find-java.sh"
kaiware_find_java || exit 1

DURATION="${DURATION:-10m}"
WARMUP="${WARMUP:-10m}"
RATE="${RATE:-2500}"
KEYS="${KEYS:-100000}"
VALUE_SIZE="${VALUE_SIZE:-32}"
CONNECTIONS="${CONNECTIONS:-50}"
MAX_SLOPE_KB_PER_MIN="${MAX_SLOPE_KB_PER_MIN:-102.4}"
MAX_LATENCY_MS="${MAX_LATENCY_MS:-50}"
OUT="${OUT:-$(mktemp -d /tmp/kaiware-soak.XXXXXX)}"
mkdir -p "$OUT"

"$ROOT/bin/kaiware" build --if-needed >/dev/null
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

if [ -z "${PORT:-}" ]; then
  PORT="${SERVER_PORT:-16399}"
  JAVA_OPTS_USED="${KAIWARE_JAVA_OPTS:-$KAIWARE_SERVER_JAVA_OPTS_DEFAULT}"
  KAIWARE_JAVA_OPTS="$JAVA_OPTS_USED -Xlog:gc*:file=$OUT/gc.log:uptime,level,tags" KAIWARE_NO_BUILD=1 \
    "$ROOT/bin/kaiware" server --port "$PORT" --dir "$OUT" --loglevel warning \
      --latency-monitor-threshold 10 --write-delay-warn-ms 20 ${SERVER_ARGS:-} > "$OUT/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "server: local, pid $SERVER_PID, JVM options: $JAVA_OPTS_USED"
else
  echo "server: 127.0.0.1:$PORT (already running)"
fi

echo "soak:   $RATE SET/s, $KEYS keys, ${VALUE_SIZE} B values, $CONNECTIONS connections, warm-up $WARMUP, measured $DURATION"
echo "out:    $OUT"
set +e
KAIWARE_JAVA_OPTS="${BENCH_JAVA_OPTS:-$KAIWARE_TOOL_JAVA_OPTS_DEFAULT}" KAIWARE_NO_BUILD=1 "$ROOT/bin/kaiware" bench --port "$PORT" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" \
  -c "$CONNECTIONS" --command set --keys "$KEYS" --value-size "$VALUE_SIZE" --memory-interval 5s \
  ${SERVER_PID:+--pid "$SERVER_PID"} --out "$OUT" --format json > "$OUT/report.json"
bench_exit=$?
set -e
if [ "$bench_exit" != 0 ]; then
  echo "FAIL: kaiware bench exited with $bench_exit"; cat "$OUT/report.json"; exit 1
fi
[ -f "$OUT/report.txt" ] && cat "$OUT/report.txt"

# The server's own account of its stalls (events over 10 ms for a local server; its threshold
# otherwise): which part of a spike was the engine, the log, a snapshot or the collector.
server_query() {
  { exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf '%s\r\nQUIT\r\n' "$1" >&3 && timeout 5 cat <&3; } 2>/dev/null | tr -d '\r' || true
}
{
  echo "# LATENCY LATEST (event, time, latest ms, max ms)"; server_query "LATENCY LATEST"
  echo "# INFO raft"; server_query "INFO raft"
} > "$OUT/server-after.txt"

json="$(cat "$OUT/report.json")"
field() { printf '%s' "$json" | grep -oE "\"$1\":[-0-9.]+" | head -1 | cut -d: -f2; }
slope="$(field private_slope_kb_per_min)"
max_ms="$(printf '%s' "$json" | grep -oE '"latency_ms":\{[^}]*\}' | grep -oE '"max":[-0-9.]+' | cut -d: -f2)"
p99="$(printf '%s' "$json" | grep -oE '"latency_ms":\{[^}]*\}' | grep -oE '"p99":[-0-9.]+' | cut -d: -f2)"
failed="$(field failed)"

if [ -f "$OUT/gc.log" ]; then
  # Stop-the-world pauses: ZGC "Pause Mark Start 0.012ms", G1/Parallel "Pause Young (...) 2.345ms".
  grep -E '\] GC\([0-9]+\) .*Pause' "$OUT/gc.log" | grep -oE '[0-9]+\.[0-9]+ms$' | tr -d 'ms' > "$OUT/gc-pauses-ms.txt" || true
  pauses="$(wc -l < "$OUT/gc-pauses-ms.txt")"
  pause_max="$(sort -g "$OUT/gc-pauses-ms.txt" | tail -1)"
  echo "gc:     $pauses pauses, longest ${pause_max:-0} ms (from $OUT/gc.log)"
fi
echo "result: p99 ${p99} ms, max ${max_ms} ms, failed ${failed}, private memory slope after warm-up ${slope} KB/min"

verdict=PASS
awk -v s="$slope" -v lim="$MAX_SLOPE_KB_PER_MIN" 'BEGIN { exit !(s < lim) }' || { verdict=FAIL; echo "FAIL: memory slope $slope KB/min >= $MAX_SLOPE_KB_PER_MIN KB/min"; }
awk -v m="$max_ms" -v lim="$MAX_LATENCY_MS" 'BEGIN { exit !(m < lim) }' || { verdict=FAIL; echo "FAIL: max latency $max_ms ms >= $MAX_LATENCY_MS ms"; }
[ "$failed" = 0 ] || { verdict=FAIL; echo "FAIL: $failed requests failed"; }
echo "$verdict"
[ "$verdict" = PASS ]
