#!/usr/bin/env bash
# A Flink 1.19 session cluster on this machine, from Maven Central jars (flink-dist is not published):
# one JobManager (StandaloneSessionClusterEntrypoint) and one TaskManager (TaskManagerRunner), memory flags
# computed by Flink's own BashJavaUtils exactly as bin/jobmanager.sh and bin/taskmanager.sh do, REST API and
# dashboard on 127.0.0.1:8081, Prometheus metrics on 127.0.0.1:9249 (JobManager) and 9250 (TaskManager).
# Usage: flink-cluster.sh up|down|status|logs|run JAR [ARGS...]   (see README.md)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REST_PORT="${DETCON_FLINK_REST_PORT:-8081}"
RPC_PORT="${DETCON_FLINK_RPC_PORT:-6123}"
JM_MEMORY="${DETCON_FLINK_JM_MEMORY:-1024m}"   # jobmanager.memory.process.size
TM_MEMORY="${DETCON_FLINK_TM_MEMORY:-4096m}"   # taskmanager.memory.process.size
SLOTS="${DETCON_FLINK_SLOTS:-2}"               # one per core of the 2-core box
START_TIMEOUT="${DETCON_FLINK_START_TIMEOUT:-120}"
PROM_PORTS="${DETCON_FLINK_PROM_PORTS:-9249-9259}"  # the JobManager takes the first free port, the TaskManager the next
FLINK_DIR="$RUN_DIR/flink"
CONF_DIR="$FLINK_DIR/conf"
REST_URL="http://127.0.0.1:$REST_PORT"
JM_CLASS=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
TM_CLASS=org.apache.flink.runtime.taskexecutor.TaskManagerRunner

# What Flink 1.19's default config puts in env.java.opts.all for Java 17 (module access Flink and Kryo need).
JAVA17_OPTS=(-XX:+IgnoreUnrecognizedVMOptions
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED)

write_conf() {
  mkdir -p "$CONF_DIR" "$FLINK_DIR/tmp" "$FLINK_DIR/web" "$FLINK_DIR/checkpoints"
  cat >"$CONF_DIR/config.yaml" <<YAML
# Written by infra/local/flink-cluster.sh on every 'up'; edit the DETCON_FLINK_* variables instead.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $RPC_PORT
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: $JM_MEMORY
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.memory.process.size: $TM_MEMORY
taskmanager.numberOfTaskSlots: $SLOTS
parallelism.default: $SLOTS
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $REST_PORT
blob.server.port: 0
high-availability.type: NONE
io.tmp.dirs: $FLINK_DIR/tmp
web.tmpdir: $FLINK_DIR/web
state.checkpoints.dir: file://$FLINK_DIR/checkpoints
# batch jobs run with the parallelism they ask for (the adaptive scheduler would size a stage by its input bytes:
# one task for a list of image keys); the REST API refreshes metrics every second (progress lines)
execution.batch.adaptive.auto-parallelism.enabled: false
metrics.fetcher.update-interval: 1000
# a killed TaskManager is noticed within seconds (two failed heartbeat RPCs one second apart), before a job's
# restarts (RunnerSetup: fixed delay) are spent deploying to it; a silent one after 20 s (default: 10 s / 50 s)
heartbeat.interval: 1000
heartbeat.timeout: 20000
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
metrics.reporter.prom.port: $PROM_PORTS
metrics.reporter.prom.host: 127.0.0.1
YAML
  cat >"$CONF_DIR/log4j.properties" <<'PROPS'
# One rolling file per process: ${sys:log.file} is set on the java command line (as flink-daemon.sh does).
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.startup.type = OnStartupTriggeringPolicy
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 5
PROPS
  # the client of 'run': its log to a file, the job's own output (progress, report) to the terminal
  cat >"$CONF_DIR/log4j-cli.properties" <<'PROPS'
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender
logger.detcon.name = org.detcon
logger.detcon.level = INFO
logger.detcon.appenderRef.console.ref = ConsoleAppender
appender.file.name = FileAppender
appender.file.type = File
appender.file.append = true
appender.file.fileName = ${sys:log.file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.console.name = ConsoleAppender
appender.console.type = Console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %m%n
PROPS
}

# resource_params GET_JM_RESOURCE_PARAMS|GET_TM_RESOURCE_PARAMS CLASSPATH -> sets JVM_PARAMS and DYNAMIC_PARAMS
# (config.sh's parseResourceParamsAndExportLogs: the two BASH_JAVA_UTILS_EXEC_RESULT lines)
resource_params() {
  local cmd="$1" cp="$2" out results
  if ! out="$("$JAVA" -classpath "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$cmd" \
               --configDir "$CONF_DIR" 2>&1)"; then
    echo "$out" | tail -20 >&2
    die "BashJavaUtils $cmd failed (memory settings JM=$JM_MEMORY TM=$TM_MEMORY?)"
  fi
  results="$(echo "$out" | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://')" || true
  if [[ "$(echo "$results" | grep -c .)" -ne 2 ]]; then
    echo "$out" | tail -20 >&2
    die "unexpected BashJavaUtils $cmd output (expected 2 result lines)"
  fi
  JVM_PARAMS="$(echo "$results" | head -n1)"
  DYNAMIC_PARAMS="$(echo "$results" | tail -n1)"
}

rest_up() { curl -sf -m 3 "$REST_URL/overview" >/dev/null 2>&1; }
overview() { curl -sf -m 3 "$REST_URL/overview" 2>/dev/null; }
json_num() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
json_str() { sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }
tm_registered() { local n; n="$(overview | json_num taskmanagers)"; [[ -n "$n" && "$n" -ge 1 ]]; }

# The local S3 store's settings (infra/local/s3.sh) for the Flink processes, when the store was set up before them:
# endpoint, region, path style and the credentials file reach the JobManager and TaskManager, so jobs that carry
# no S3 options of their own still find it. Jobs of 'detcon masks run' carry them as pipeline options anyway.
s3_wiring() {
  local env_file="$RUN_DIR/s3/env.sh"
  S3_ENV=()
  [[ -f "$env_file" ]] || return 0
  local line
  while IFS= read -r line; do
    [[ "$line" =~ ^export\ (DETCON_S3_[A-Z_]*|AWS_REGION)=(.*)$ ]] && S3_ENV+=("${BASH_REMATCH[1]}=${BASH_REMATCH[2]}")
  done <"$env_file"
}

start_process() { # NAME CLASS RESOURCE_CMD CLASSPATH EXTRA_ARGS...
  local name="$1" class="$2" rcmd="$3" cp="$4"; shift 4
  resource_params "$rcmd" "$cp"
  s3_wiring
  # shellcheck disable=SC2086  # JVM_PARAMS / DYNAMIC_PARAMS are word lists, as in Flink's scripts
  start_daemon "$name" -- env "${S3_ENV[@]}" "$JAVA" $JVM_PARAMS "${JAVA17_OPTS[@]}" ${DETCON_FLINK_JAVA_OPTS:-} \
    "-Dlog.file=$LOG_DIR/$name.log" "-Dlog4j.configurationFile=file:$CONF_DIR/log4j.properties" \
    -classpath "$cp" "$class" $DYNAMIC_PARAMS --configDir "$CONF_DIR" "$@"
}

up() {
  prepare_run_dir
  command -v curl >/dev/null 2>&1 || die "curl is needed for the health checks"
  local lib cp jm tm
  lib="$(ensure_jars flink)"
  cp="$lib/*"
  if jm="$(pid_of flink-jobmanager "$JM_CLASS")"; then
    log "jobmanager already running (pid $jm)"
  else
    port_in_use "$REST_PORT" && die "port $REST_PORT is taken by another process (set DETCON_FLINK_REST_PORT)"
    write_conf
    log "starting jobmanager (process memory $JM_MEMORY)"
    start_process flink-jobmanager "$JM_CLASS" GET_JM_RESOURCE_PARAMS "$cp" --executionMode cluster
  fi
  wait_for "$START_TIMEOUT" flink-jobmanager "$JM_CLASS" rest_up || die "jobmanager did not come up"
  if tm="$(pid_of flink-taskmanager "$TM_CLASS")"; then
    log "taskmanager already running (pid $tm)"
  else
    [[ -f "$CONF_DIR/config.yaml" ]] || write_conf
    log "starting taskmanager (process memory $TM_MEMORY, $SLOTS slots)"
    start_process flink-taskmanager "$TM_CLASS" GET_TM_RESOURCE_PARAMS "$cp"
  fi
  wait_for "$START_TIMEOUT" flink-taskmanager "$TM_CLASS" tm_registered || die "taskmanager did not register"
  status_lines
}

down() {
  prepare_run_dir
  if stop_daemon flink-taskmanager "$TM_CLASS"; then log "taskmanager stopped"; else log "taskmanager was not running"; fi
  if stop_daemon flink-jobmanager "$JM_CLASS"; then log "jobmanager stopped"; else log "jobmanager was not running"; fi
}

# prints the state; returns 0 healthy, 1 stopped, 2 degraded
status_lines() {
  local jm tm ov running=0 healthy=1
  if jm="$(pid_of flink-jobmanager "$JM_CLASS")"; then
    echo "flink.jobmanager: running pid=$jm"; running=$((running + 1))
  else
    echo "flink.jobmanager: stopped"; healthy=0
  fi
  if tm="$(pid_of flink-taskmanager "$TM_CLASS")"; then
    echo "flink.taskmanager: running pid=$tm"; running=$((running + 1))
  else
    echo "flink.taskmanager: stopped"; healthy=0
  fi
  if ov="$(overview)"; then
    echo "flink.rest: $REST_URL ok taskmanagers=$(echo "$ov" | json_num taskmanagers)" \
      "slots=$(echo "$ov" | json_num slots-total) free=$(echo "$ov" | json_num slots-available)" \
      "version=$(echo "$ov" | json_str flink-version)"
    [[ "$(echo "$ov" | json_num taskmanagers)" -ge 1 ]] || healthy=0
  else
    echo "flink.rest: $REST_URL not answering"; healthy=0
  fi
  echo "flink.metrics: prometheus on 127.0.0.1 ports $PROM_PORTS (JobManager first, then TaskManager)"
  echo "flink.logs: $LOG_DIR/flink-jobmanager.log $LOG_DIR/flink-taskmanager.log"
  if [[ $running -eq 0 ]]; then return 1; fi
  if [[ $healthy -eq 1 ]]; then return 0; fi
  return 2
}

status() {
  mkdir -p "$PID_DIR" "$LOG_DIR"
  status_lines
}

logs() {
  tail -n "${2:-50}" "$LOG_DIR/flink-jobmanager.log" "$LOG_DIR/flink-taskmanager.log" 2>/dev/null || true
}

# run JAR [ARGS...]: what 'flink run JAR ARGS' does, with Flink's own client (CliFrontend) from the same jars and
# this cluster's configuration: the jar's main class runs here and submits its job to the session cluster.
run_job() {
  shift
  [[ $# -ge 1 ]] || die "usage: $(basename "$0") run JAR [ARGS...]"
  local jar="$1"; shift
  [[ -f "$jar" ]] || die "no job jar $jar (build it: mvn -pl beam-segmentation -am package -Pjob-jar -DskipTests)"
  [[ -f "$CONF_DIR/config.yaml" ]] || die "no cluster configuration in $CONF_DIR: run '$(basename "$0") up' first"
  rest_up || die "the session cluster does not answer on $REST_URL: run '$(basename "$0") up' first"
  local lib
  lib="$(ensure_jars flink)"
  FLINK_CONF_DIR="$CONF_DIR" exec "$JAVA" "${JAVA17_OPTS[@]}" ${DETCON_FLINK_JAVA_OPTS:-} \
    -Dlog.file="$LOG_DIR/flink-client.log" -Dlog4j.configurationFile="file:$CONF_DIR/log4j-cli.properties" \
    -classpath "$lib/*" org.apache.flink.client.cli.CliFrontend run "$jar" "$@"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  logs) logs "$@" ;;
  run) run_job "$@" ;;
  *) echo "usage: $(basename "$0") up|down|status|logs|run JAR [ARGS...]" >&2; exit 64 ;;
esac
