# shellcheck shell=bash
# Sourced by bin/kaiware, .ci/run and the bench scripts. Finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is new enough, then the usual install folders, then `java` on the PATH.
# Prints a clear message and returns 1 when none is found.
KAIWARE_MIN_JAVA=21

kaiware_java_major() { # $1 = path to a java binary; prints the feature version (17, 21, 25...)
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

kaiware_find_java() {
  local candidate major
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  local best="" best_major=0
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(kaiware_java_major "$candidate/bin/java")
    [ -n "$major" ] || continue
    if [ "$major" -ge "$KAIWARE_MIN_JAVA" ]; then
      # JAVA_HOME wins when it fits; otherwise take the newest JDK found.
      if [ "$candidate" = "${JAVA_HOME:-}" ]; then best="$candidate"; best_major=$major; break; fi
      if [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
    fi
  done
  if [ -z "$best" ]; then
    echo "kaiware: no JDK >= $KAIWARE_MIN_JAVA found (looked at JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman, ~/.jdks and the PATH)." >&2
    echo "kaiware: install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  # Options every Kaiware JVM gets (platform access, not tuning; KAIWARE_JAVA_OPTS does not replace
  # them): Netty's epoll transport loads a native library; and from Java 23 on, Netty turns
  # sun.misc.Unsafe off unless memory access is allowed, which makes every direct-buffer read a
  # bounds-checked ByteBuffer call (MSET with 10 keys paid ~11% of its CPU in DirectByteBuffer.duplicate:
  # docs/benchmarks.md, "Netty without Unsafe"). Java 21 and 22 do not know the flag and need none.
  KAIWARE_JVM_BASE_OPTS="--enable-native-access=ALL-UNNAMED"
  if [ "$best_major" -ge 23 ]; then
    KAIWARE_JVM_BASE_OPTS="$KAIWARE_JVM_BASE_OPTS --sun-misc-unsafe-memory-access=allow"
  fi
  export KAIWARE_JVM_BASE_OPTS
  # Compact object headers (JEP 519, a product option from Java 25): 8-byte instead of 12-byte object
  # headers. Every key and value is a byte[] of its own, so this is 8 B less per string key and more
  # for hashes and sorted sets (docs/benchmarks/memory-per-key.md: the server at 1M keys, 132 -> 117
  # B/key of heap). Java 21-24 do not have it as a product option.
  if [ "$best_major" -ge 25 ] && [[ "$KAIWARE_SERVER_JAVA_OPTS_DEFAULT" != *CompactObjectHeaders* ]]; then
    KAIWARE_SERVER_JAVA_OPTS_DEFAULT="$KAIWARE_SERVER_JAVA_OPTS_DEFAULT -XX:+UseCompactObjectHeaders"
  fi
}

# JVM options when KAIWARE_JAVA_OPTS is not set (chosen from soak runs: docs/operations.md, "GC and
# heap defaults"). The server: generational ZGC (sub-millisecond pauses); a 1 GiB heap committed and
# touched at start, so private memory does not creep up as the heap grows (it may still grow past
# 1 GiB, up to 1/4 of RAM, when data needs it); a collection at least every 30 s, so the collector's
# own native memory reaches its steady size in the first minute and heap-after-GC is fresh enough
# to show a leak within minutes; and a soft heap bound of the same 1 GiB, so ZGC collects more often
# rather than growing the heap past it while live data fits (the durable path allocates 10-12 KB per
# write; without the bound the heap grew to 1.3-1.4 GB and the process to 1.75-1.85 GB in the soak).
# Short-lived tools (bench, dns, --version): ZGC, small initial heap.
KAIWARE_SERVER_JAVA_OPTS_DEFAULT="-XX:+UseZGC -Xms1g -XX:SoftMaxHeapSize=1g -XX:+AlwaysPreTouch -XX:ZCollectionInterval=30"
KAIWARE_TOOL_JAVA_OPTS_DEFAULT="-XX:+UseZGC -Xms256m"
