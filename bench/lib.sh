# shellcheck shell=bash
# Sourced by the bench scripts: the JDK, the redis tools, and servers started for one run.
# The caller sets ROOT and WORK (a scratch directory removed on exit) before starting servers.
. "$ROOT/bin/find-java.sh"
kaiware_find_java || exit 1

# Installs Debian's redis-server and redis-tools when missing (stopping the service it starts).
bench_ensure_redis() {
  if ! command -v redis-server >/dev/null || ! command -v redis-benchmark >/dev/null; then
    echo "installing redis-server and redis-tools (Debian) ..." >&2
    apt-get update -qq >&2 && apt-get install -y -qq redis-server redis-tools >&2
    pkill -x redis-server || true
  fi
}

# Waits up to 30 s for PONG on each port given; fails with the logs in $WORK otherwise.
bench_wait_ping() {
  local port
  for port in "$@"; do
    for _ in $(seq 1 300); do
      redis-cli -p "$port" ping >/dev/null 2>&1 && continue 2
      sleep 0.1
    done
    echo "no PONG from port $port within 30 s; logs:" >&2
    tail -n 20 "$WORK"/*.log >&2 || true
    return 1
  done
}

# Fails when a server already answers on PORT: a server left over from an earlier run would be
# measured instead of the one this run starts (its own start fails to bind, and PING still answers).
bench_port_free() {
  if timeout 2 redis-cli -p "$1" ping >/dev/null 2>&1; then
    echo "port $1 is already in use (a server left over from an earlier run?); stop it first" >&2
    return 1
  fi
}

# bench_start_redis PORT [redis options ...]: a throwaway redis-server (no persistence unless the
# options say otherwise, e.g. --appendonly yes --appendfsync always) in $WORK.
bench_start_redis() {
  local port="$1"
  shift
  bench_port_free "$port" || exit 1
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --dir "$WORK" --logfile "$WORK/redis.log" "$@"
}

# bench_start_kaiware PORT [server options ...]: the built server in the background; sets KAIWARE_PID.
bench_start_kaiware() {
  local port="$1"
  shift
  bench_port_free "$port" || exit 1
  KAIWARE_NO_BUILD=1 "$ROOT/bin/kaiware" server --port "$port" --dir "$WORK" --loglevel warning "$@" \
    > "$WORK/kaiware.log" 2>&1 &
  KAIWARE_PID=$!
}

# bench_start_member ID PEERS CLIENT_PORT: a member of a Raft group in the background (data in
# $WORK/ID, output appended to $WORK/ID.log, the server's default JVM options unless
# KAIWARE_JAVA_OPTS is set); sets MEMBER_PID.
bench_start_member() {
  local id="$1" peers="$2" port="$3"
  mkdir -p "$WORK/$id"
  KAIWARE_NO_BUILD=1 "$ROOT/bin/kaiware" server --node "$id" --peers "$peers" --port "$port" \
    --dir "$WORK/$id" --loglevel warning >> "$WORK/$id.log" 2>&1 &
  MEMBER_PID=$!
}

# bench_raft_leader ID=PORT ...: prints the id of the member that leads and serves
# (raft_leader_ready:1), waiting up to 30 s; fails otherwise.
bench_raft_leader() {
  local deadline=$(( $(date +%s) + 30 )) member
  while [ "$(date +%s)" -lt "$deadline" ]; do
    for member in "$@"; do
      if timeout 1 redis-cli -p "${member#*=}" raft info 2>/dev/null | grep -q '^raft_leader_ready:1'; then
        echo "${member%%=*}"; return 0
      fi
    done
    sleep 0.05
  done
  echo "no leader within 30 s" >&2
  return 1
}

# Stops what bench_start_redis / bench_start_kaiware started and removes $WORK.
bench_stop_servers() {
  [ -n "${REDIS_PORT:-}" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  if [ -n "${KAIWARE_PID:-}" ]; then kill "$KAIWARE_PID" 2>/dev/null && wait "$KAIWARE_PID" 2>/dev/null || true; fi
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
}
