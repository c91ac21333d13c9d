#!/usr/bin/env bash
# Fault check on a real Flink session cluster: the mask pipeline runs on a JobManager + TaskManager started by
# infra/local/flink-cluster.sh; the TaskManager is killed (SIGKILL) while the job runs and a new one is started;
# the job must recover (fixed-delay restart strategy, see RunnerSetup) and the dataset must hold exactly the
# expected samples: manifest verifies (sizes, sha256, counts), no duplicate keys, no unlisted or half-written shard.
# Usage (from anywhere):  bash bench/masks/session_fault.sh [N_IMAGES]      (default 96; ~2-3 min on 2 cores)
# Env: FLINK_CLUSTER_SH (default infra/local/flink-cluster.sh), DETCON_FLINK_REST_PORT (default 18081),
#      KILL_AFTER seconds of RUNNING before the kill (default 6).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
N="${1:-96}"
OUT="$PWD/bench/masks/target/fault"
CLUSTER="${FLINK_CLUSTER_SH:-infra/local/flink-cluster.sh}"
export DETCON_INFRA_RUN_DIR="${DETCON_INFRA_RUN_DIR:-$OUT/infra}"
export DETCON_FLINK_REST_PORT="${DETCON_FLINK_REST_PORT:-18081}"
export DETCON_FLINK_RPC_PORT="${DETCON_FLINK_RPC_PORT:-16123}"
export DETCON_FLINK_TM_MEMORY="${DETCON_FLINK_TM_MEMORY:-2048m}"
REST="http://127.0.0.1:$DETCON_FLINK_REST_PORT"
[[ -f "$CLUSTER" ]] || { echo "needs $CLUSTER (infra/local from the S3/infra issue)" >&2; exit 2; }
rm -rf "$OUT/img" "$OUT/ds" "$OUT/job.log"; mkdir -p "$OUT"

echo "== building bench + the job jar (-Pjob-jar)"
mvn -q -pl bench -am package -Pjob-jar dependency:build-classpath -DskipTests -Dmdep.outputFile="$OUT/cp.txt"
CP="bench/target/classes:$(cat "$OUT/cp.txt")"
JAR="$(ls "$PWD"/beam-segmentation/target/detcon-beam-segmentation-*-job.jar)"
JAVA=(java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" org.detcon.bench.masks.MaskPipelineBench)
$PY bench/masks/make_images.py "$OUT/img" "$N"

echo "== session cluster on $REST"
trap 'bash "$CLUSTER" down || true' EXIT
bash "$CLUSTER" up

echo "== job: $N images, fh:1000, parallelism 2"
"${JAVA[@]}" session "$OUT/img" "$OUT/ds" fh:1000 2 "127.0.0.1:$DETCON_FLINK_REST_PORT" "$JAR" >"$OUT/job.log" 2>&1 &
JOB=$!
for _ in $(seq 1 240); do
  curl -sf -m 2 "$REST/jobs/overview" | grep -q '"state":"RUNNING"' && break
  sleep 0.5
done
sleep "${KILL_AFTER:-6}"
JID="$(curl -sf -m 2 "$REST/jobs/overview" | sed -n 's/.*"jid":"\([0-9a-f]*\)".*"state":"RUNNING".*/\1/p')"
[[ -n "$JID" ]] || { echo "FAIL: the job was not running at kill time (too fast? raise N)"; cat "$OUT/job.log"; exit 1; }
TM_PID="$(cat "$DETCON_INFRA_RUN_DIR/pids/flink-taskmanager.pid")"
echo "== killing TaskManager pid $TM_PID (job $JID running)"
kill -9 "$TM_PID"
sleep 2
echo "== starting a new TaskManager"
bash "$CLUSTER" up
wait "$JOB" || { echo "FAIL: job failed"; tail -40 "$OUT/job.log"; exit 1; }
grep -E "RESULT|inputs" "$OUT/job.log"
EXC="$(curl -sf -m 5 "$REST/jobs/$JID/exceptions" || true)"
echo "job $JID: state $(curl -sf -m 2 "$REST/jobs/$JID" | sed -n 's/^{"jid":"[0-9a-f]*","name":"[^"]*","isStoppable":[a-z]*,"state":"\([A-Z]*\)".*/\1/p'),"\
  "failures recorded: $(echo "$EXC" | grep -o '"exceptionName"' | wc -l)"
echo "$EXC" | grep -o '"exceptionName":"[^"]*"' | sort | uniq -c | head -5
echo "== verifying the dataset"
"${JAVA[@]}" verify "$OUT/ds" "$N"
echo "PASS: TaskManager killed mid-job, job recovered, $N samples exactly, dataset verifies"
