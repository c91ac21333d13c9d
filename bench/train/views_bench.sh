#!/usr/bin/env bash
# Data side (issue 4): decoded + augmented views per second per thread at 224 px (JPEG 500x375 + 16-bit label-map
# PNG from shard bytes -> two DetCon_B views + 16 masks each).   bench/train/views_bench.sh [THREADS] [SECONDS]
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
exec java -Xmx2g "${JAVA_FLAGS[@]}" -cp "$CP" org.detcon.bench.train.ViewBench threads="${1:-$(nproc)}" \
  seconds="${2:-20}"
