#!/usr/bin/env bash
# Memory stays flat over 200 DetCon_B steps (heap after GC, native RSS, live NDArrays); exit 1 if it grows.
#   bench/train/memory_check.sh [steps=200 every=20 size=64 batch=8 maxGrowthMiB=64]
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
exec java -Xmx2g "${JAVA_FLAGS[@]}" -Dai.djl.pytorch.num_threads="${THREADS:-$(nproc)}" -cp "$CP" \
  org.detcon.bench.train.MemoryCheck "$@"
