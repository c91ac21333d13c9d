#!/usr/bin/env bash
# Mask pipeline benchmark: images/s end to end (decode, FH at scales 500/1000/1500, PNG encode, shard write,
# manifest) on the embedded Flink runner at parallelism 1 and 2 and on a Flink session cluster (infra/local, one
# TaskManager with 2 slots) at parallelism 2, against the FH library alone (one thread, no Beam) and a Python
# equivalent (Debian's scikit-image, 1 process and one per core) on the same JPEGs. The same for FH scale 1000 alone,
# projected to ImageNet (1.28 M images, goal: < 2 h on 16 cores, i.e. >= 11.1 images/s per core including I/O).
# Besides wall-clock rates it records CPU seconds (the benchmark JVM for the library and the embedded runner, the
# TaskManager process for the session cluster), which a busy machine distorts less.
# Usage (from anywhere):  bash bench/masks/run.sh [N_IMAGES]     (default 96; results in bench/masks/target/run)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
N="${1:-96}"
OUT="$PWD/bench/masks/target/run"
rm -rf "$OUT"; mkdir -p "$OUT"
RESULTS="$OUT/results.txt"

echo "== building (mvn -pl bench -am package -Pjob-jar -DskipTests)"
# one reactor session, so the detcon modules resolve to the freshly built jars (never to ~/.m2 snapshots)
mvn -q -pl bench -am package -Pjob-jar dependency:build-classpath -DskipTests -Dmdep.outputFile="$OUT/cp.txt"
CP="bench/target/classes:$(cat "$OUT/cp.txt")"
JAR="$(ls "$PWD"/beam-segmentation/target/detcon-beam-segmentation-*-job.jar)"
JAVA=(java -Xmx3g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" org.detcon.bench.masks.MaskPipelineBench)

echo "== $N photo-like JPEGs, 500x375 / 375x500"
$PY bench/masks/make_images.py "$OUT/img" "$N"
mkdir -p "$OUT/img2" && cp "$OUT/img/img00001.jpg" "$OUT/img/img00002.jpg" "$OUT/img2/"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average before:" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" | tee "$RESULTS"

THREE=fh:500,fh:1000,fh:1500
echo "== FH library alone, one thread"
"${JAVA[@]}" library "$OUT/img" "$THREE" | tee -a "$RESULTS"
"${JAVA[@]}" library "$OUT/img" fh:1000 | tee -a "$RESULTS"
echo "== embedded Flink: fixed cost (2 images, parallelism 1)"
"${JAVA[@]}" pipeline "$OUT/img2" "$OUT/ds-fixed" "$THREE" 1 | grep RESULT \
  | sed 's/mode=pipeline/mode=pipeline-fixed-cost/' | tee -a "$RESULTS"
for MASKS in "$THREE" fh:1000; do
  for P in 1 2; do
    echo "== embedded Flink, parallelism $P, $MASKS"
    "${JAVA[@]}" pipeline "$OUT/img" "$OUT/ds-$P-${MASKS//[:,]/_}" "$MASKS" "$P" | tee "$OUT/pipeline-$P-${MASKS//[:,]/_}.log" \
      | grep -E "RESULT" | tee -a "$RESULTS"
  done
done

echo "== session cluster (infra/local: 1 TaskManager, 2 slots) on spare ports"
export DETCON_INFRA_RUN_DIR="$OUT/infra" DETCON_FLINK_REST_PORT=28081 DETCON_FLINK_RPC_PORT=26123 \
  DETCON_FLINK_PROM_PORTS=29249-29259 DETCON_FLINK_SLOTS=2 DETCON_FLINK_TM_MEMORY=3072m
trap 'bash infra/local/flink-cluster.sh down >/dev/null 2>&1 || true' EXIT
bash infra/local/flink-cluster.sh up >/dev/null
tm_cpu() { # utime + stime of the TaskManager, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$(cat "$DETCON_INFRA_RUN_DIR/pids/flink-taskmanager.pid")/stat"
}
session() { # NAME DIR MASKS
  local c0 c1
  c0="$(tm_cpu)"
  "${JAVA[@]}" session "$2" "$OUT/ds-session-$1" "$3" 2 "127.0.0.1:$DETCON_FLINK_REST_PORT" "$JAR" >"$OUT/session-$1.log"
  c1="$(tm_cpu)"
  grep RESULT "$OUT/session-$1.log" | sed "s/\$/ tm_cpu_s=$(echo "$c1 - $c0" | bc -l | xargs printf '%.2f')/"
}
session fixed "$OUT/img2" "$THREE" | sed 's/mode=session/mode=session-fixed-cost/' | tee -a "$RESULTS"
session three "$OUT/img" "$THREE" | tee -a "$RESULTS"
session one "$OUT/img" fh:1000 | tee -a "$RESULTS"
bash infra/local/flink-cluster.sh down >/dev/null

for P in 1 "$(nproc)"; do
  echo "== Python (skimage $($PY -c 'import skimage; print(skimage.__version__)')), $P process(es)"
  $PY bench/masks/skimage_masks.py "$OUT/img" "$OUT/py3-$P" "$P" 500,1000,1500 | tee -a "$RESULTS"
  $PY bench/masks/skimage_masks.py "$OUT/img" "$OUT/py1-$P" "$P" 1000 | tee -a "$RESULTS"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$RESULTS"
echo "== summary"
$PY bench/masks/summarize.py "$RESULTS" | tee "$OUT/summary.txt"
