#!/usr/bin/env bash
# Runs one main class of module bench on a freshly built classpath (no install):
#   BENCH_JAVA_OPTS=-Xmx2g bash bench/java.sh org.detcon.bench.coco.CocoLoadBench [ARGS...]
#   bash bench/java.sh org.openjdk.jmh.Main MaskIouBench
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bash bench/java.sh MAIN_CLASS [ARGS...]" >&2; exit 2; }
mkdir -p bench/target
mvn -q -B -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$PWD/bench/target/cp.txt" >&2
exec java ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/cp.txt)" "$@"
