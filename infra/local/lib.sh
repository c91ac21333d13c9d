# Shared helpers for infra/local/*.sh (sourced, not run). Everything lives under $RUN_DIR:
#   lib/<part>/   resolved jars        logs/   every log        pids/   pid files
#   flink/        Flink config + tmp   s3/     s3proxy config, data, credentials
# shellcheck shell=bash

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"
RUN_DIR="${DETCON_INFRA_RUN_DIR:-$LOCAL_DIR/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

log() { echo "$(basename "$0"): $*" >&2; }
die() { log "error: $*"; exit 1; }

prepare_run_dir() {
  mkdir -p "$RUN_DIR" "$LOG_DIR" "$PID_DIR"
  # one infra command at a time (up/down/status of both parts share this lock)
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$RUN_DIR/.lock"
    flock -w 300 9 || die "another infra command holds $RUN_DIR/.lock"
  fi
}

# ensure_jars PROFILE -> prints the lib dir; resolves with Maven when missing or older than the poms
ensure_jars() {
  local profile="$1" dir="$RUN_DIR/lib/$1" stamp="$RUN_DIR/lib/$1.resolved"
  if [[ -f "$stamp" && "$stamp" -nt "$LOCAL_DIR/pom.xml" && "$stamp" -nt "$REPO_ROOT/pom.xml" ]]; then
    echo "$dir"; return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not on PATH (needed once to resolve the $profile jars)"
  log "resolving $profile jars from Maven (once) into $dir"
  rm -rf "$dir.tmp"
  if ! mvn -q -B -f "$LOCAL_DIR/pom.xml" -P "$profile" dependency:copy-dependencies \
        -DoutputDirectory="$dir.tmp" >"$LOG_DIR/resolve-$profile.log" 2>&1; then
    tail -20 "$LOG_DIR/resolve-$profile.log" >&2
    die "could not resolve the $profile jars (full log: $LOG_DIR/resolve-$profile.log)"
  fi
  rm -rf "$dir" && mv "$dir.tmp" "$dir" && touch "$stamp"
  echo "$dir"
}

# pid_of NAME MARKER -> prints the pid when the pid file names a live process whose command line has MARKER
pid_of() {
  local file="$PID_DIR/$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  fi
  echo "$pid"
}

# start_daemon NAME -- CMD...: runs CMD detached (stdio to logs/NAME.out), records its pid
start_daemon() {
  local name="$1"; shift; [[ "$1" == "--" ]] && shift
  local out="$LOG_DIR/$name.out"
  [[ -f "$out" ]] && mv -f "$out" "$out.1"
  # fd 9 is the infra lock: the daemon must not inherit it. setsid: its own session, so a Ctrl-C aimed at
  # whatever ran 'up' (a terminal, the detcon CLI) does not reach it; 'down' stops it.
  local detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  nohup "${detach[@]}" "$@" >"$out" 2>&1 </dev/null 9>&- &
  echo $! >"$PID_DIR/$name.pid"
}

# stop_daemon NAME MARKER [GRACE_SECONDS]: TERM, then KILL after the grace period; idempotent
stop_daemon() {
  local name="$1" marker="$2" grace="${3:-30}" pid i
  if ! pid="$(pid_of "$name" "$marker")"; then
    rm -f "$PID_DIR/$name.pid"
    return 1
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored TERM for ${grace}s, killing"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_DIR/$name.pid"
  return 0
}

# wait_for SECONDS NAME MARKER CHECK_FN: polls CHECK_FN until it succeeds; fails early when the process died
wait_for() {
  local seconds="$1" name="$2" marker="$3" check="$4" i
  for ((i = 0; i < seconds * 2; i++)); do
    "$check" && return 0
    if ! pid_of "$name" "$marker" >/dev/null; then
      log "$name exited during start-up; last lines of $LOG_DIR/$name.out and .log:"
      tail -15 "$LOG_DIR/$name.out" >&2 2>/dev/null || true
      tail -15 "$LOG_DIR/$name.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.5
  done
  log "$name not healthy after ${seconds}s (logs: $LOG_DIR/$name.*)"
  return 1
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
