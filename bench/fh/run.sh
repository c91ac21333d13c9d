#!/usr/bin/env bash
# FH benchmark: Java (EXACT and FAST) vs skimage 0.19 on the same PNG inputs, plus a 4000x3000 run in -Xmx1g.
# See bench/fh/README.md. Outputs go to bench/fh/target/run (ignored by git).
# Usage (from the repo root):  bash bench/fh/run.sh [--quick] [--system-photos] [--no-big]
#   --quick          fewer repetitions (smoke run)
#   --system-photos  also use skimage's bundled sample photos (resized; read at run time, never committed)
#   --no-big         skip the 4000x3000 / -Xmx1g run
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
REPEAT=5; PYREPEAT=3; BIG=1; PHOTOS=""
for arg in "$@"; do
  case "$arg" in
    --quick) REPEAT=3; PYREPEAT=1 ;;
    --system-photos) PHOTOS="--system-photos" ;;
    --no-big) BIG=0 ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done
OUT=bench/fh/target/run
rm -rf "$OUT"; mkdir -p "$OUT"

echo "== building (mvn -pl bench -am package -DskipTests)"
# one reactor session, so the detcon modules resolve to the freshly built jars (never to ~/.m2 snapshots);
# every module writes cp.txt, bench (last in the reactor) wins
mvn -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$PWD/$OUT/cp.txt"
CP="bench/target/classes:$(cat "$OUT/cp.txt")"

echo "== skimage reference timings ($PY)"
$PY bench/fh/skimage_fh.py "$OUT" --repeat "$PYREPEAT" $PHOTOS

echo "== Java timings"
java -Xmx2g -cp "$CP" org.detcon.bench.fh.FhBench compare "$OUT" "$REPEAT"

if [ "$BIG" = 1 ]; then
  echo "== 4000x3000 RGB in -Xmx1g"
  java -Xmx1g -cp "$CP" org.detcon.bench.fh.FhBench big 4000 3000 1000
fi
