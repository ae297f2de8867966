#!/bin/sh
# Regenerates the RDB fixtures of RdbFileReaderTest with a local redis-server 7.0.15:
#   kaiware-engine/src/test/resources/rdb/make-fixtures.sh
# Writes, next to this script: redis-7.0.15.rdb (SAVE with rdbcompression and rdbchecksum yes),
# redis-7.0.15.expected.tsv (every key as that Redis reads it back) and
# redis-7.0.15-nocompress-nochecksum.rdb (the same keyspace loaded by a second server with
# rdbchecksum no, SAVEd with rdbcompression no); prints the expected values. The keys are written by
# src/test/redis/rdb_fixtures.py. Uses port 16459 and a temporary directory; stops its servers.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
redis_py=$(cd "$here/../../redis" && pwd)
tmp=$(mktemp -d)
pid=
stop() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  pid=
}
trap 'stop; rm -rf "$tmp"' EXIT
start() { # extra redis-server options
  rm -f "$tmp/redis.sock"
  redis-server --port 16459 --unixsocket "$tmp/redis.sock" --save '' --appendonly no \
    --dir "$tmp" --dbfilename x.rdb --enable-debug-command yes --daemonize no "$@" >>"$tmp/redis.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    [ -S "$tmp/redis.sock" ] && redis-cli -s "$tmp/redis.sock" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  cat "$tmp/redis.log"; exit 1
}
redis-server --version
start --rdbchecksum yes
REDIS_SOCK="$tmp/redis.sock" PYTHONPATH="$redis_py" python3 "$redis_py/rdb_fixtures.py" fill "$here"
stop
start --rdbchecksum no
REDIS_SOCK="$tmp/redis.sock" PYTHONPATH="$redis_py" python3 "$redis_py/rdb_fixtures.py" resave "$here"
stop
