#!/usr/bin/env bash
# Ranking add and top-N-over-window read at 100k members, on the engine alone.
# Figures: docs/benchmarks.md ("Rankings over time windows"). Usage: bench/ranking.sh [members]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -q -B -o -pl kaiware-engine -am test-compile
"$JAVA_HOME/bin/java" -Xms2g -Xmx2g -XX:+UseParallelGC \
  -cp kaiware-engine/target/classes:kaiware-engine/target/test-classes \
  io.kaiware.engine.RankingBenchmark "${1:-100000}"
