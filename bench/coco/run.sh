#!/usr/bin/env bash
# COCO bbox evaluation benchmark: the Java port vs pycocotools (when importable) on the same seeded val2017-sized set
# (5,000 images, ~36k gts, 500k detections).
# Usage (from anywhere):  bash bench/coco/run.sh [--quick] [--threads N] [--seed S]
#   --quick      fewer repetitions (1 warm-up, 3 timed)
#   --threads N  also time the parallel mode with N threads
#   --seed S     generator seed (default 2017)
# pycocotools is looked up with $PYTHON (default /usr/bin/python3); put a local build on PYTHONPATH to include it.
# Nothing here builds pycocotools; without it only the Java numbers are printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-/usr/bin/python3}
WARMUP=3; ITERS=7; THREADS=1; SEED=2017; PYREPEAT=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) WARMUP=1; ITERS=3 ;;
    --threads) THREADS="$2"; shift ;;
    --seed) SEED="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
OUT=bench/coco/target/run
mkdir -p "$OUT"

echo "== building (mvn -pl bench -am package -DskipTests)"
# one reactor session, so detcon modules resolve to the freshly built jars (never to ~/.m2 snapshots)
mvn -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$PWD/$OUT/cp.txt"
CP="bench/target/classes:$(cat "$OUT/cp.txt")"
JAVA="java -Xmx3g -cp $CP org.detcon.bench.coco.CocoEvalBenchmark"

DATA="$OUT/data-$SEED"
if [ ! -s "$DATA/results.json" ]; then
  echo "== generating the set (seed $SEED)"
  $JAVA generate "$DATA" "$SEED" 5000
fi
ls -l "$DATA"

echo "== Java"
$JAVA time "$DATA" "$WARMUP" "$ITERS" "$THREADS" | tee "$OUT/java.txt"

echo "== pycocotools ($PY)"
set +e
$PY bench/coco/pycocotools_time.py "$DATA" "$PYREPEAT" | tee "$OUT/py.txt"
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" = 0 ]; then
  $PY - "$OUT/java.txt" "$OUT/py.txt" <<'PYEOF'
import sys
def stats(f, tag):
    for line in open(f):
        if line.startswith(tag):
            return [float(v) for v in line.split()[1:]]
def percat(f, tag):
    for line in open(f):
        if line.startswith(tag):
            return {kv.split('=')[0]: float(kv.split('=')[1]) for kv in line.split()[1:]}
j = stats(sys.argv[1], 'JAVA_STATS'); p = stats(sys.argv[2], 'PY_STATS')
print('max |java - pycocotools| over the 12 stats: %.3g' % max(abs(a - b) for a, b in zip(j, p)))
jc = percat(sys.argv[1], 'JAVA_PERCAT'); pc = percat(sys.argv[2], 'PY_PERCAT')
assert jc.keys() == pc.keys(), 'different category sets'
print('max |java - pycocotools| over %d per-category APs: %.3g' % (len(jc), max(abs(jc[k] - pc[k]) for k in jc)))
PYEOF
fi
