#!/usr/bin/env bash
# Mask pipeline benchmark: images/s end to end (decode, FH at scales 500/1000/1500, PNG encode, shard write,
# manifest) on the embedded Flink runner at parallelism 1 and 2, against the FH library alone (one thread, no
# Beam) and against a Python equivalent (Debian's scikit-image, one process per core) on the same JPEGs.
# Then the same for FH scale 1000 alone, projected to ImageNet (1.28 M images, goal: < 2 h on 16 cores,
# i.e. >= 11 images/s per core including I/O).
# Usage (from anywhere):  bash bench/masks/run.sh [N_IMAGES]     (default 96; results in bench/masks/target/run)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
N="${1:-96}"
OUT=bench/masks/target/run
rm -rf "$OUT"; mkdir -p "$OUT"
RESULTS="$OUT/results.txt"

echo "== building (mvn -pl bench -am package -DskipTests)"
# one reactor session, so the detcon modules resolve to the freshly built jars (never to ~/.m2 snapshots)
mvn -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile="$PWD/$OUT/cp.txt"
CP="bench/target/classes:$(cat "$OUT/cp.txt")"
JAVA=(java -Xmx3g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" org.detcon.bench.masks.MaskPipelineBench)

echo "== $N photo-like JPEGs, 500x375 / 375x500"
$PY bench/masks/make_images.py "$OUT/img" "$N"
mkdir -p "$OUT/img2" && cp "$OUT/img/img00001.jpg" "$OUT/img/img00002.jpg" "$OUT/img2/"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RESULTS"

THREE=fh:500,fh:1000,fh:1500
echo "== FH library alone, one thread"
"${JAVA[@]}" library "$OUT/img" "$THREE" | tee -a "$RESULTS"
"${JAVA[@]}" library "$OUT/img" fh:1000 | tee -a "$RESULTS"
echo "== embedded Flink: fixed cost (2 images, parallelism 1)"
"${JAVA[@]}" pipeline "$OUT/img2" "$OUT/ds-fixed" "$THREE" 1 | grep RESULT | sed 's/mode=pipeline/mode=pipeline-fixed-cost/' | tee -a "$RESULTS"
for P in 1 2; do
  echo "== embedded Flink, parallelism $P, $THREE"
  "${JAVA[@]}" pipeline "$OUT/img" "$OUT/ds3-p$P" "$THREE" "$P" | tee "$OUT/pipeline3-p$P.log" | grep -E "RESULT|inputs|Flink dashboard" | tee -a "$RESULTS"
done
for P in 1 2; do
  echo "== embedded Flink, parallelism $P, fh:1000"
  "${JAVA[@]}" pipeline "$OUT/img" "$OUT/ds1-p$P" fh:1000 "$P" | grep RESULT | tee -a "$RESULTS"
done
for P in 1 "$(nproc)"; do
  echo "== Python (skimage $($PY -c 'import skimage; print(skimage.__version__)')), $P process(es)"
  $PY bench/masks/skimage_masks.py "$OUT/img" "$OUT/py3-$P" "$P" 500,1000,1500 | tee -a "$RESULTS"
  $PY bench/masks/skimage_masks.py "$OUT/img" "$OUT/py1-$P" "$P" 1000 | tee -a "$RESULTS"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"
echo "== summary"
$PY bench/masks/summarize.py "$RESULTS" | tee "$OUT/summary.txt"
