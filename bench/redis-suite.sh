#!/usr/bin/env bash
# Redis's own test suite (Redis 7.0.15, Debian's source package) against a Kaiware server: the
# compatibility check issue 3 asks for, run the way Redis runs it against an external server.
#
#   bench/redis-suite.sh                         # strings, incr, keyspace, expire, multi
#   bench/redis-suite.sh unit/type/hash unit/type/zset
#   DURABLE=1 bench/redis-suite.sh               # --durable: a test that throws does not end its file
#   TAGS="-needs:repl -needs:debug" bench/redis-suite.sh   # leave tags out, as managed services do
#   KAIWARE_OPTS="--non-durable-cache yes" bench/redis-suite.sh
#
# Needs tclsh (installed from Debian if missing) and the Redis source: $REDIS_SRC if set, else
# `apt-get source redis` (a deb-src line for the Debian mirror is added when missing), unpacked once
# into $REDIS_SUITE_CACHE (default ~/.cache/kaiware/redis-src). The server is the built
# `bin/kaiware server` on $KAIWARE_PORT (default 16390) with a fresh data directory: the embedded
# default, a durable one-member Raft group, unless KAIWARE_OPTS says otherwise.
#
# Without DURABLE, Redis's harness ends a file at the first test that throws (an unknown command, a
# CONFIG SET it refuses): exactly what a run of that suite sees. By default no tag is left out: the
# needs:repl tests read the replication stream (SYNC), which Kaiware serves.
# Prints per file the tests passed, failed and skipped, and each failure; exits 1 if any failed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bench/lib.sh"

KAIWARE_PORT="${KAIWARE_PORT:-16390}"
KAIWARE_OPTS="${KAIWARE_OPTS:-}"
TAGS="${TAGS:-}"
CACHE="${REDIS_SUITE_CACHE:-$HOME/.cache/kaiware/redis-src}"
if [ "$#" -gt 0 ]; then UNITS=("$@"); else UNITS=(unit/type/string unit/type/incr unit/keyspace unit/expire unit/multi); fi

sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
command -v tclsh >/dev/null || { $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq tcl; } >&2
bench_ensure_redis

redis_source() {
  if [ -n "${REDIS_SRC:-}" ]; then echo "$REDIS_SRC"; return; fi
  local dir
  dir="$(find "$CACHE" -mindepth 1 -maxdepth 1 -type d -name 'redis-*' 2>/dev/null | head -n 1)"
  if [ -z "$dir" ]; then
    echo "fetching the Redis source package (Debian) into $CACHE ..." >&2
    if ! grep -rqs '^Types: deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then
      printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        | $sudo_cmd tee /etc/apt/sources.list.d/kaiware-deb-src.sources >/dev/null
    fi
    $sudo_cmd apt-get update -qq >&2
    mkdir -p "$CACHE"
    (cd "$CACHE" && apt-get source --download-only -qq redis >&2 && tar xzf redis_*.orig.tar.gz && rm -f redis_*)
    dir="$(find "$CACHE" -mindepth 1 -maxdepth 1 -type d -name 'redis-*' | head -n 1)"
  fi
  [ -n "$dir" ] || { echo "no Redis source found in $CACHE" >&2; exit 1; }
  echo "$dir"
}
SRC="$(redis_source)"

WORK="$(mktemp -d /tmp/kaiware-redis-suite.XXXXXX)"
trap bench_stop_servers EXIT
"$ROOT/bin/kaiware" build --if-needed
# shellcheck disable=SC2086 # options are words
bench_start_kaiware "$KAIWARE_PORT" $KAIWARE_OPTS
bench_wait_ping "$KAIWARE_PORT"
echo "server: $(redis-cli -p "$KAIWARE_PORT" info server | grep -E '^kaiware_(version|git_commit)' | tr -d '\r' | tr '\n' ' ')" >&2

tag_args=()
for t in $TAGS; do tag_args+=(--tags "$t"); done
durable=()
[ "${DURABLE:-0}" = 1 ] && durable=(--durable)
failed=0
printf '%-22s %6s %6s %7s %s\n' unit passed failed skipped "ended early"
for unit in "${UNITS[@]}"; do
  out="$WORK/$(echo "$unit" | tr / _).out"
  (cd "$SRC" && timeout 1200 ./runtest --host 127.0.0.1 --port "$KAIWARE_PORT" --single "$unit" \
    "${tag_args[@]}" "${durable[@]}" --timeout 600 --clients 1) > "$out" 2>&1 || true
  sed -i 's/\x1b\[[0-9;]*m//g' "$out"
  ok=$(grep -ac '^\[ok\]' "$out" || true)
  err=$(grep -ac '^\[err\]' "$out" || true)
  ign=$(grep -ac '^\[ignore\]\|^\[skip\]' "$out" || true)
  early=no
  if grep -aq '^\[exception\]' "$out"; then early="yes: $(grep -a -A1 '^\[exception\]' "$out" | tail -n 1 | cut -c1-100)"; fi
  printf '%-22s %6s %6s %7s %s\n' "$unit" "$ok" "$err" "$ign" "$early"
  if [ "$ok" = 0 ]; then early="yes: $(grep -a -m1 -v '^Cleanup\|^Starting\|^\[ready\]\|^Testing' "$out" | cut -c1-100)"; fi
  if [ "$err" != 0 ] || [ "$early" != no ]; then
    failed=1
    { grep -a -A1 '^\[err\]' "$out" | grep -av '^--' | cut -c1-160 | sed 's/^/    /' >&2; } || true
  fi
  cp "$out" "/tmp/kaiware-redis-suite-$(basename "$unit").out"
done
echo "full outputs: /tmp/kaiware-redis-suite-*.out" >&2
exit "$failed"
