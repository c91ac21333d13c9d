#!/usr/bin/env bash
# Bounded load check of the trainer service (issue 13): a service on loopback (1 CPU slot) runs a tiny pretraining
# while LoadCheck fires ROUNDS rounds of N concurrent requests (GET /v1/jobs/ID and GET /metrics alternately);
# prints errors (must be 0) and p50/p90/p99 latency, and the service JVM's CPU time.
#   bench/service/load.sh [N=200] [ROUNDS=5] [PORT=18470]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N="${1:-200}"; ROUNDS="${2:-5}"; PORT="${3:-18470}"
mvn -q -o -B -pl bench -am compile >&2
"$DETCON" --version > /dev/null   # builds the CLI jar when stale; LoadCheck runs on it (Jackson) + bench's classes
"$DETCON" train shapes "$WORK/shapes" --count 16 --size 32 --per-shard 8 > /dev/null
start_service load "$PORT" 1
URL="http://127.0.0.1:$PORT"
TOKEN_FILE="$WORK/load/token"
tiny_config "$WORK/shapes" "$WORK/run" 400 > "$WORK/job.yaml"
ID=$("$DETCON" service submit --url "$URL" --token-file "$TOKEN_FILE" --config "$WORK/job.yaml" \
  | awk '$1 == "job" {print $2; exit}')
echo "job $ID submitted; waiting until it runs"
for _ in $(seq 1 600); do
  S=$("$DETCON" service status --url "$URL" --token-file "$TOKEN_FILE" "$ID")
  if echo "$S" | grep -q '"status" *: *"RUNNING"' && ! echo "$S" | grep -q '"step" *: *0,'; then break; fi
  sleep 1
done
JVM="${PIDS[0]}"   # ./detcon execs java: the service's JVM (its job runs in a child JVM)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
C0=$(cpu "$JVM")
set +e
java -cp "bench/target/classes:orchestration/target/detcon-cli.jar" org.detcon.bench.service.LoadCheck "$URL" "$TOKEN_FILE" \
  "$ID" "$N" "$ROUNDS"
RC=$?
set -e
C1=$(cpu "$JVM")
echo "service JVM CPU during the check: $(( (C1 - C0) ))  clock ticks ($(getconf CLK_TCK)/s)"
"$DETCON" service cancel --url "$URL" --token-file "$TOKEN_FILE" "$ID" > /dev/null || true
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); busiest other processes:"
ps -eo pcpu,etime,args --sort=-pcpu | sed -n 2,6p | cut -c1-150
exit $RC
