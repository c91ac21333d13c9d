#!/usr/bin/env bash
# An S3-compatible store on this machine: s3proxy (org.gaul:s3proxy from Maven Central) with its filesystem
# backend under infra/local/.run/s3/data, SigV4 authentication, on 127.0.0.1:9000, with a bucket ready.
# Usage: s3.sh up|down|status|env   (see README.md)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${DETCON_S3_PORT:-9000}"
BUCKET="${DETCON_S3_BUCKET:-detcon}"
REGION="us-east-1"
ENDPOINT="http://127.0.0.1:$PORT"
S3_DIR="$RUN_DIR/s3"
DATA_DIR="$S3_DIR/data"
CREDS="$S3_DIR/credentials"
ENV_FILE="$S3_DIR/env.sh"
AWS_CREDENTIALS="$S3_DIR/aws-credentials"   # the keys as an AWS credentials file, profile detcon-local
PROFILE=detcon-local
MAIN=org.gaul.s3proxy.Main
START_TIMEOUT="${DETCON_S3_START_TIMEOUT:-60}"

# The local store's keys: from DETCON_S3_ACCESS_KEY/DETCON_S3_SECRET_KEY, else generated once and kept in
# $CREDS (mode 600). They are never printed except by 'env', whose output is meant for eval.
load_credentials() {
  if [[ -n "${DETCON_S3_ACCESS_KEY:-}" && -n "${DETCON_S3_SECRET_KEY:-}" ]]; then
    ACCESS_KEY="$DETCON_S3_ACCESS_KEY"; SECRET_KEY="$DETCON_S3_SECRET_KEY"
  elif [[ -f "$CREDS" ]]; then
    ACCESS_KEY="$(sed -n 's/^access=//p' "$CREDS")"; SECRET_KEY="$(sed -n 's/^secret=//p' "$CREDS")"
  else
    ACCESS_KEY="detcon-local"
    SECRET_KEY="$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
    (umask 077; printf 'access=%s\nsecret=%s\n' "$ACCESS_KEY" "$SECRET_KEY" >"$CREDS")
  fi
  [[ -n "$ACCESS_KEY" && -n "$SECRET_KEY" ]] || die "no credentials in $CREDS"
}

write_conf() {
  (umask 077
   cat >"$S3_DIR/s3proxy.properties" <<PROPS
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
jclouds.provider=filesystem
jclouds.identity=local
jclouds.credential=local
jclouds.filesystem.basedir=$DATA_DIR
PROPS
   cat >"$AWS_CREDENTIALS" <<CREDS
[$PROFILE]
aws_access_key_id = $ACCESS_KEY
aws_secret_access_key = $SECRET_KEY
CREDS
   # detcon reads the keys from the credentials file by profile: a job carries "profile:NAME@FILE" (never the
   # keys) in its options, so Flink TaskManagers on this machine find them whenever they were started
   cat >"$ENV_FILE" <<ENV
# source this to point detcon (and the AWS SDK/CLI) at the local store
export DETCON_S3_ENDPOINT=$ENDPOINT
export DETCON_S3_PATH_STYLE=true
export AWS_REGION=$REGION
export DETCON_S3_PROFILE=$PROFILE
export DETCON_S3_CREDENTIALS_FILE=$AWS_CREDENTIALS
export AWS_ACCESS_KEY_ID=$ACCESS_KEY
export AWS_SECRET_ACCESS_KEY=$SECRET_KEY
export DETCON_S3_BUCKET=$BUCKET
ENV
  )
}

# signed S3 request with curl's SigV4 (credentials passed on stdin, not on the command line); prints HTTP code
s3_curl() { # METHOD PATH
  printf 'user = "%s:%s"\n' "$ACCESS_KEY" "$SECRET_KEY" |
    curl -s -o /dev/null -w '%{http_code}' -m 5 -K - --aws-sigv4 "aws:amz:$REGION:s3" \
      -X "$1" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$ENDPOINT/$2" 2>/dev/null || true
}

answers() { local c; c="$(curl -s -o /dev/null -w '%{http_code}' -m 3 "$ENDPOINT/" 2>/dev/null || true)"; [[ "$c" != 000 && -n "$c" ]]; }
bucket_code() { s3_curl HEAD "$BUCKET"; }

up() {
  prepare_run_dir
  command -v curl >/dev/null 2>&1 || die "curl is needed for the health checks"
  mkdir -p "$S3_DIR" "$DATA_DIR"
  local lib pid code
  lib="$(ensure_jars s3proxy)"
  load_credentials
  if pid="$(pid_of s3proxy "$MAIN")"; then
    log "s3proxy already running (pid $pid)"
  else
    port_in_use "$PORT" && die "port $PORT is taken by another process (set DETCON_S3_PORT)"
    write_conf
    log "starting s3proxy on $ENDPOINT (data in $DATA_DIR)"
    start_daemon s3proxy -- "$JAVA" -Xmx512m ${DETCON_S3_JAVA_OPTS:-} -cp "$lib/*" "$MAIN" \
      --properties "$S3_DIR/s3proxy.properties"
  fi
  wait_for "$START_TIMEOUT" s3proxy "$MAIN" answers || die "s3proxy did not come up"
  code="$(bucket_code)"
  if [[ "$code" == 404 ]]; then
    code="$(s3_curl PUT "$BUCKET")"
    [[ "$code" == 200 ]] || die "could not create bucket $BUCKET (HTTP $code)"
    log "created bucket $BUCKET"
  elif [[ "$code" != 200 ]]; then
    die "bucket check for $BUCKET answered HTTP $code (credentials in $CREDS out of step with a running s3proxy?)"
  fi
  status_lines
}

down() {
  prepare_run_dir
  if stop_daemon s3proxy "$MAIN" 15; then log "s3proxy stopped (data kept in $DATA_DIR)"; else log "s3proxy was not running"; fi
}

# prints the state; returns 0 healthy, 1 stopped, 2 degraded
status_lines() {
  local pid code rc=0
  if pid="$(pid_of s3proxy "$MAIN")"; then
    echo "s3.s3proxy: running pid=$pid"
  else
    echo "s3.s3proxy: stopped"; rc=1
  fi
  if answers; then
    if [[ -f "$CREDS" || -n "${DETCON_S3_SECRET_KEY:-}" ]]; then load_credentials; code="$(bucket_code)"; else code=none; fi
    if [[ "$code" == 200 ]]; then
      echo "s3.endpoint: $ENDPOINT ok bucket=$BUCKET exists"
    else
      echo "s3.endpoint: $ENDPOINT answers but bucket $BUCKET check gave HTTP $code"; rc=2
    fi
  else
    echo "s3.endpoint: $ENDPOINT not answering"; [[ $rc -eq 1 ]] || rc=2
  fi
  echo "s3.env: $ENV_FILE"
  echo "s3.logs: $LOG_DIR/s3proxy.out"
  return $rc
}

status() {
  mkdir -p "$PID_DIR" "$LOG_DIR"
  status_lines
}

env_cmd() {
  [[ -f "$ENV_FILE" ]] || die "no $ENV_FILE yet: run '$(basename "$0") up' first"
  grep '^export ' "$ENV_FILE"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  env) env_cmd ;;
  *) echo "usage: $(basename "$0") up|down|status|env" >&2; exit 64 ;;
esac
