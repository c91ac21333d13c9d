#!/usr/bin/env bash
# Learning signal (issue 4, item 8): DetCon_B on generated shapes for a CPU time budget, then linear probes on the
# frozen backbone vs the same backbone at initialisation. Prints the loss curve and a RESULT line.
#   bench/train/learning_signal.sh [key=value ...]   e.g. steps=300 size=96 batch=16 images=512 lr=2.0
# Needs a quiet machine for meaningful timings (PyTorch's OpenMP threads spin); the numbers themselves don't
# depend on speed. Training goes through TrainingRun (the project's one training loop) on shapes held in memory.
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
exec java -Xmx3g "${JAVA_FLAGS[@]}" -cp "$CP" org.detcon.bench.train.LearningSignal "$@"
