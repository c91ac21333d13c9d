#!/usr/bin/env bash
# Self-test of infra/local: up, idempotent up, status codes, partial down, down, on spare ports and in a
# temporary run directory, so it neither sees nor disturbs a cluster started with the defaults.
# Usage: infra/local/selftest.sh        (about a minute; needs Maven's ~/.m2 or network once)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export DETCON_INFRA_RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/detcon-infra-selftest.XXXXXX")"
export DETCON_FLINK_REST_PORT="${SELFTEST_REST_PORT:-18081}" DETCON_FLINK_RPC_PORT="${SELFTEST_RPC_PORT:-16123}"
export DETCON_S3_PORT="${SELFTEST_S3_PORT:-19000}" DETCON_S3_BUCKET=selftest
infra="$here/detcon-infra.sh"
failures=0

cleanup() { "$infra" down >/dev/null 2>&1; rm -rf "$DETCON_INFRA_RUN_DIR"; }
trap cleanup EXIT

check() { # DESCRIPTION EXPECTED_RC COMMAND...
  local what="$1" want="$2" got; shift 2
  "$@" >"$DETCON_INFRA_RUN_DIR/last.out" 2>&1; got=$?
  if [[ "$got" == "$want" ]]; then echo "ok   $what"; else
    echo "FAIL $what: exit $got, expected $want"; sed 's/^/     /' "$DETCON_INFRA_RUN_DIR/last.out"
    failures=$((failures + 1)); fi
}
in_status() { local out; out="$("$infra" status 2>/dev/null)"; grep -q -- "$1" <<<"$out"; }
refused() { ! curl -sf -m 2 "$1" >/dev/null; }

check "status before up says stopped" 1 "$infra" status
check "up starts both" 0 "$infra" up
pids1="$(cat "$DETCON_INFRA_RUN_DIR"/pids/*.pid | sort | tr '\n' ' ')"
check "status healthy" 0 "$infra" status
check "status names 1 taskmanager" 0 in_status "taskmanagers=1"
check "status names the bucket" 0 in_status "bucket=selftest exists"
check "REST /overview answers" 0 curl -sf "http://127.0.0.1:$DETCON_FLINK_REST_PORT/overview"
check "dashboard serves HTML" 0 bash -c "curl -sf http://127.0.0.1:$DETCON_FLINK_REST_PORT/ | grep -qi '<html'"
check "second up is a no-op" 0 "$infra" up
pids2="$(cat "$DETCON_INFRA_RUN_DIR"/pids/*.pid | sort | tr '\n' ' ')"
check "same processes after second up" 0 test "$pids1" == "$pids2"
check "env prints the endpoint" 0 bash -c "'$here/s3.sh' env | grep -q 'DETCON_S3_ENDPOINT=http://127.0.0.1:$DETCON_S3_PORT'"
check "down s3 only" 0 "$infra" down s3
check "status degraded with s3 down" 2 "$infra" status
check "down all" 0 "$infra" down
check "status stopped" 1 "$infra" status
check "down again is fine" 0 "$infra" down
check "REST port released" 0 refused "http://127.0.0.1:$DETCON_FLINK_REST_PORT/overview"
check "S3 port released" 0 refused "http://127.0.0.1:$DETCON_S3_PORT/"

if [[ $failures -eq 0 ]]; then echo "selftest passed"; else echo "selftest: $failures failure(s)"; exit 1; fi
