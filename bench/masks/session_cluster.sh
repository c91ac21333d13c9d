#!/usr/bin/env bash
# Checks on a real Flink session cluster (infra/local, ports 18081/16123, Prometheus 19249-19259), in order:
#  1. fault: the mask pipeline runs (parallelism 2); its TaskManager is killed (SIGKILL) mid-job and a new one
#     started; the job must recover (fixed-delay restart strategy, see RunnerSetup) and the dataset must hold
#     exactly the expected samples (manifest verifies, no duplicate keys, no unlisted or half-written shard);
#  2. flink run: the job jar submitted by Flink's own client ('flink-cluster.sh run JAR ARGS', CliFrontend), its
#     progress lines, and Prometheus scrapes of the TaskManager during the run that must see a step of the
#     pipeline count up (images masked, shards or images written: the write phase of a few hundred small images
#     can end between two scrapes; MaskPipelineFlinkTest checks the images written rising); the dataset verifies;
#  3. the README's S3 recipe as a new user runs it: the TaskManager was started before the store existed; then
#     's3.sh up', 'eval "$(s3.sh env)"' and 'detcon masks run ... --output s3://detcon/...' must work.
# Usage (from anywhere):  bash bench/masks/session_cluster.sh [N_IMAGES]      (default 96; ~4-5 min on 2 cores)
# Env: FLINK_CLUSTER_SH (default infra/local/flink-cluster.sh), DETCON_FLINK_REST_PORT (default 18081),
#      KILL_AFTER seconds of RUNNING before the kill (default 6), SKIP=fault,run,s3 to skip checks.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
N="${1:-96}"
OUT="$PWD/bench/masks/target/session"
CLUSTER="${FLINK_CLUSTER_SH:-infra/local/flink-cluster.sh}"
export DETCON_INFRA_RUN_DIR="${DETCON_INFRA_RUN_DIR:-$OUT/infra}"
export DETCON_FLINK_REST_PORT="${DETCON_FLINK_REST_PORT:-18081}"
export DETCON_FLINK_RPC_PORT="${DETCON_FLINK_RPC_PORT:-16123}"
export DETCON_FLINK_TM_MEMORY="${DETCON_FLINK_TM_MEMORY:-2048m}"
export DETCON_FLINK_PROM_PORTS="${DETCON_FLINK_PROM_PORTS:-19249-19259}"
export DETCON_S3_PORT="${DETCON_S3_PORT:-19000}"
REST="http://127.0.0.1:$DETCON_FLINK_REST_PORT"
SKIP="${SKIP:-}"
[[ -f "$CLUSTER" ]] || { echo "needs $CLUSTER" >&2; exit 2; }
rm -rf "$OUT/img" "$OUT/ds-fault" "$OUT/ds-run" "$OUT"/*.log "$DETCON_INFRA_RUN_DIR/s3"; mkdir -p "$OUT"

echo "== building bench + the job jar (-Pjob-jar)"
mvn -q -pl bench -am package -Pjob-jar dependency:build-classpath -DskipTests -Dmdep.outputFile="$OUT/cp.txt"
CP="bench/target/classes:$(cat "$OUT/cp.txt")"
JAR="$(ls "$PWD"/beam-segmentation/target/detcon-beam-segmentation-*-job.jar)"
BENCH=(java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" org.detcon.bench.masks.MaskPipelineBench)
$PY bench/masks/make_images.py "$OUT/img" "$N"

echo "== session cluster on $REST (started before any S3 store exists)"
trap 'bash "$CLUSTER" down || true; bash infra/local/s3.sh down >/dev/null 2>&1 || true' EXIT
bash "$CLUSTER" up

running_job() { # prints the id of the RUNNING job, waiting up to 120 s for one
  local j
  for _ in $(seq 1 240); do
    j="$(curl -sf -m 2 "$REST/jobs/overview" | sed -n 's/.*"jid":"\([0-9a-f]*\)".*"state":"RUNNING".*/\1/p')"
    [[ -n "$j" ]] && { echo "$j"; return 0; }
    sleep 0.5
  done
  return 1
}

if [[ ",$SKIP," != *,fault,* ]]; then
  echo "== 1. fault: $N images, fh:1000, parallelism 2; TaskManager killed mid-job"
  "${BENCH[@]}" session "$OUT/img" "$OUT/ds-fault" fh:1000 2 "127.0.0.1:$DETCON_FLINK_REST_PORT" "$JAR" \
    >"$OUT/fault.log" 2>&1 &
  JOB=$!
  JID="$(running_job)" || { echo "FAIL: no job running"; cat "$OUT/fault.log"; exit 1; }
  sleep "${KILL_AFTER:-6}"
  curl -sf -m 2 "$REST/jobs/$JID" | grep -q '"state":"RUNNING"' \
    || { echo "FAIL: the job was not running at kill time (too fast? raise N)"; cat "$OUT/fault.log"; exit 1; }
  TM_PID="$(cat "$DETCON_INFRA_RUN_DIR/pids/flink-taskmanager.pid")"
  echo "   killing TaskManager pid $TM_PID (job $JID running)"
  kill -9 "$TM_PID"
  sleep 2
  echo "   starting a new TaskManager"
  bash "$CLUSTER" up >/dev/null
  wait "$JOB" || { echo "FAIL: job failed"; tail -40 "$OUT/fault.log"; exit 1; }
  grep -E "RESULT|inputs" "$OUT/fault.log"
  EXC="$(curl -sf -m 5 "$REST/jobs/$JID/exceptions" || true)"
  echo "   job $JID failures recorded: $(echo "$EXC" | grep -o '"exceptionName"' | wc -l)"
  "${BENCH[@]}" verify "$OUT/ds-fault" "$N"
  echo "PASS 1: TaskManager killed mid-job, job recovered, $N samples exactly, dataset verifies"
fi

if [[ ",$SKIP," != *,run,* ]]; then
  echo "== 2. flink run (Flink's CliFrontend) with the job jar's main class; Prometheus scraped during the run"
  bash "$CLUSTER" run "$JAR" --input="$OUT/img" --output="$OUT/ds-run" --masks=fh:500,fh:1000,fh:1500 \
    --parallelism=2 --buckets=12 >"$OUT/run.log" 2>&1 &
  RUN=$!
  running_job >/dev/null || { echo "FAIL: flink run submitted no job"; cat "$OUT/run.log"; exit 1; }
  : >"$OUT/scrapes.txt"
  while kill -0 "$RUN" 2>/dev/null; do
    for port in $(seq "${DETCON_FLINK_PROM_PORTS%-*}" "${DETCON_FLINK_PROM_PORTS#*-}"); do
      curl -sf -m 1 "http://127.0.0.1:$port/metrics" 2>/dev/null \
        | grep -E '^flink_taskmanager_job_task_operator_(numRecordsOut\{[^}]*operator_name="(ComputeMasks_DecodeAndMask|WriteShards_Write)"|numRecordsIn\{[^}]*operator_name="WriteShards_ImagesWritten_|detcon_masks_)' \
        | sed "s/^/$(date +%s.%N | cut -c1-14) /" >>"$OUT/scrapes.txt" || true
    done
    sleep 0.1
  done
  wait "$RUN" || { echo "FAIL: flink run failed"; tail -40 "$OUT/run.log"; exit 1; }
  grep -E "masks: images|inputs [0-9]+ =" "$OUT/run.log"
  "${BENCH[@]}" verify "$OUT/ds-run" "$N"
  $PY - "$OUT/scrapes.txt" <<'EOF'
import re, sys
series = {}
for line in open(sys.argv[1]):
    t, rest = line.split(' ', 1)
    m = re.match(r'(\w+)\{(.*)\} ([0-9.eE+-]+)$', rest.strip())
    if m:
        op = re.search(r'operator_name="([^"]*)"', m.group(2))
        sub = re.search(r'subtask_index="([^"]*)"', m.group(2))
        key = (m.group(1).replace('flink_taskmanager_job_task_operator_', ''), op.group(1) if op else '',
               sub.group(1) if sub else '')
        series.setdefault(key, []).append(float(m.group(3)))
rising = False
for key, values in sorted(series.items()):
    distinct = [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
    print('   prometheus %s %s subtask %s: %s' % (key[0], key[1], key[2],
          ' -> '.join('%g' % v for v in distinct[:12]) + (' ...' if len(distinct) > 12 else '')))
    rising |= len(distinct) >= 2 and distinct[-1] > distinct[0]
if not rising:
    sys.exit('FAIL: no metric of the pipeline rose between two scrapes during the run')
EOF
  echo "PASS 2: flink run submitted the job jar's main class, the dataset verifies, Prometheus showed it counting"
fi

if [[ ",$SKIP," != *,s3,* ]]; then
  echo "== 3. the README's S3 recipe: s3.sh up; eval \"\$(s3.sh env)\"; detcon masks run ... --output s3://detcon/..."
  bash infra/local/s3.sh up >/dev/null
  (
    eval "$(bash infra/local/s3.sh env)"
    ./detcon masks run --input "$OUT/img" --output s3://detcon/ci/session-run --masks fh:1000 \
      --flink-master "127.0.0.1:$DETCON_FLINK_REST_PORT" --parallelism 2 --job-jar "$JAR"
  ) >"$OUT/s3.log" 2>&1 || { echo "FAIL: masks run to s3:// failed"; tail -30 "$OUT/s3.log"; exit 1; }
  grep -E "masks: images.*done in|inputs [0-9]+ =|dataset:" "$OUT/s3.log"
  grep -q "inputs $N = written $N + rejected 0" "$OUT/s3.log" || { echo "FAIL: unexpected counts"; exit 1; }
  echo "PASS 3: a TaskManager started before the store existed wrote the dataset to s3://detcon/ci/session-run"
fi
