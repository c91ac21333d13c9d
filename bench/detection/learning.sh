#!/usr/bin/env bash
# Mask R-CNN learning benchmark (issue 14): on the quickstart's generated scenes (detcon data synth's COCO output:
# 1,000 train / 200 val images at 96 px, run at 128 px), fine-tune Mask R-CNN + FPN from the quickstart's DetCon_B
# backbone (ResNet-18, 100 steps, seed 0) and from the random initialisation that run started from (its step-0
# export), with configs/eval/coco-maskrcnn-cpu-synth.yaml at ITERS iterations (default 200, LR steps at 75 % and
# 92.5 %), learning rate LR (default 0.01), 3 fine-tuning seeds each; prints AP^bb / AP^mk as mean ± std (min..max).
#   bash bench/detection/learning.sh WORKDIR QUICKSTART_WORKDIR [SEEDS...]      (default seeds 0 1 2)
# QUICKSTART_WORKDIR is a finished `./detcon quickstart` workdir (detcon-quickstart): its data step and its DetCon_B
# seed-0 pretraining step are used. THREADS (default 1) PyTorch threads per run; PARALLEL (default: cores/THREADS)
# runs at once.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mkdir -p "$1" && cd "$1" && pwd)"
QS="$(cd "$2" && pwd)/steps"
shift 2
read -r -a SEEDS <<< "${*:-0 1 2}"
THREADS="${THREADS:-1}"
PARALLEL="${PARALLEL:-$(( $(nproc) / THREADS ))}"
ITERS="${ITERS:-200}"
LR="${LR:-0.01}"
DATA="$(ls -d "$QS"/data/*/ | head -1)"
PRETRAIN="$(grep -l '"DETCON_B"' "$QS"/pretrain/*/run.json | xargs grep -l '"seed":0' | head -1 | xargs dirname)"
declare -A BACKBONE=([detcon_b]="$PRETRAIN/backbone" [random]="$PRETRAIN/backbones/step-00000000")
"$ROOT/detcon" --help >/dev/null   # builds the CLI once, before runs start in parallel
run() {  # INIT SEED
  local out="$WORK/runs/$1-lr$LR-s$2"
  [ -f "$out/result.json" ] && return 0
  echo "== $1 seed $2 lr $LR -> $out"
  OMP_WAIT_POLICY=PASSIVE /usr/bin/time -f "   $1 s$2: %e s wall, %U s user, %M KiB peak" "$ROOT/detcon" eval finetune \
    --task coco-maskrcnn --config "$ROOT/configs/eval/coco-maskrcnn-cpu-synth.yaml" --backbone "${BACKBONE[$1]}" \
    --data "$DATA" --out "$out" --set "seed=$2" --set "iterations=$ITERS" --set "optimizer.lr=$LR" \
    --set "optimizer.milestones=[$(( ITERS * 3 / 4 )),$(( ITERS * 37 / 40 ))]" --set "torch_threads=$THREADS" 2>&1 \
    | tr '\r' '\n' | grep -v '^step \|WARN\|AutoNonVariable' || true
}
for seed in "${SEEDS[@]}"; do
  for init in detcon_b random; do
    while [ "$(jobs -r | wc -l)" -ge "$PARALLEL" ]; do sleep 5; done
    run "$init" "$seed" &
  done
done
wait
/usr/bin/python3 "$ROOT/bench/detection/summarize.py" "$WORK/runs"
