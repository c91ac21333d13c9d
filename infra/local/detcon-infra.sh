#!/usr/bin/env bash
# Starts, stops and reports the local infrastructure: the S3-compatible store and the Flink session cluster.
# Usage: detcon-infra.sh up|down|status [all|flink|s3]    (what 'detcon infra' calls; see README.md)
# Exit status: 0 everything asked for is healthy (up/status) or stopped (down); 1 status: all stopped;
# 2 status: some parts running but not all healthy; 64 usage; other non-zero: a failed up/down.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

cmd="${1:-}"; what="${2:-all}"
case "$what" in
  all) parts=(s3 flink) ;;
  flink) parts=(flink) ;;
  s3) parts=(s3) ;;
  *) cmd=usage ;;
esac
script() { [[ "$1" == flink ]] && echo "$here/flink-cluster.sh" || echo "$here/s3.sh"; }

case "$cmd" in
  up)
    for p in "${parts[@]}"; do "$(script "$p")" up || exit $?; done ;;
  down)
    rc=0
    for ((i = ${#parts[@]} - 1; i >= 0; i--)); do "$(script "${parts[$i]}")" down || rc=$?; done
    exit $rc ;;
  status)
    healthy=0; stopped=0
    for p in "${parts[@]}"; do
      "$(script "$p")" status; r=$?
      case $r in 0) healthy=$((healthy + 1)) ;; 1) stopped=$((stopped + 1)) ;; esac
    done
    if [[ $healthy -eq ${#parts[@]} ]]; then exit 0; fi
    if [[ $stopped -eq ${#parts[@]} ]]; then exit 1; fi
    exit 2 ;;
  *)
    echo "usage: $(basename "$0") up|down|status [all|flink|s3]" >&2; exit 64 ;;
esac
