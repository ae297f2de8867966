#!/usr/bin/env bash
# DNS lookup latency with the first of three nameservers silent: kaiware-dns vs the JDK's
# InetAddress (glibc) vs Netty's DnsNameResolver (issue 7). Needs root (ip netns).
#
#   bench/dns-lookup.sh                                  # 1000 names kaiware-dns, 40 each JDK/Netty
#   NAMES=1000 SLOW_NAMES=40 SLOW_THREADS=8 WARMUP_NAMES=300 bench/dns-lookup.sh
#
# Runs io.kaiware.dns.bench.DnsLookupBenchmark inside a fresh network namespace, whose
# /etc/resolv.conf (bind-mounted by `ip netns exec` from /etc/netns/$NS/resolv.conf) lists three
# fake nameservers on 127.0.0.2-4:53 started by the benchmark itself; 127.0.0.2 never answers. So
# glibc, Netty and kaiware-dns all read the same, real resolv.conf. Bounded by `timeout`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/bin/find-java.sh"
kaiware_find_java || exit 1

NAMES="${NAMES:-1000}"
SLOW_NAMES="${SLOW_NAMES:-40}"
SLOW_THREADS="${SLOW_THREADS:-8}"
WARMUP_NAMES="${WARMUP_NAMES:-300}"
EXTRA_ARGS="${EXTRA_ARGS:-}"   # e.g. --skip-slow: kaiware-dns only
NS="kwdns-bench-$$"

cd "$ROOT"
./mvnw -B -q -o -pl kaiware-dns -am test-compile -DskipTests >&2 \
  || ./mvnw -B -q -pl kaiware-dns -am test-compile -DskipTests >&2
CP_FILE="$(mktemp)"
./mvnw -B -q -o -pl kaiware-dns dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >&2
CP="kaiware-dns/target/classes:kaiware-dns/target/test-classes:$(cat "$CP_FILE")"

cleanup() {
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "/etc/netns/$NS" "$CP_FILE"
}
trap cleanup EXIT

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
mkdir -p "/etc/netns/$NS"
printf 'nameserver 127.0.0.2\nnameserver 127.0.0.3\nnameserver 127.0.0.4\n' > "/etc/netns/$NS/resolv.conf"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)"
echo "java:    $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
echo "command: NAMES=$NAMES SLOW_NAMES=$SLOW_NAMES SLOW_THREADS=$SLOW_THREADS WARMUP_NAMES=$WARMUP_NAMES ${EXTRA_ARGS:+EXTRA_ARGS='$EXTRA_ARGS' }bench/dns-lookup.sh"
echo
timeout 900 ip netns exec "$NS" "$JAVA_HOME/bin/java" -Xshare:auto -cp "$CP" \
  io.kaiware.dns.bench.DnsLookupBenchmark --names "$NAMES" --slow-names "$SLOW_NAMES" --slow-threads "$SLOW_THREADS" \
  --warmup-names "$WARMUP_NAMES" $EXTRA_ARGS
