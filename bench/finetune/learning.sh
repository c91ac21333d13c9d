#!/usr/bin/env bash
# Fine-tuning learning benchmark (issue 11): on generated scenes (the quickstart's data: 1,000 train + 200 val at
# 96 px), fine-tune the quickstart's DetCon_B backbone (100 steps, seed 0) and the random initialisation it started
# from (its step-0 export) with the CPU recipes (configs/eval/voc-fcn-cpu.yaml: 400 steps, nyu-depth-cpu.yaml: 300
# steps, batch 8), 3 fine-tuning seeds each (SEEDS), and the frozen-backbone variant with FROZEN_SEEDS (default: 0);
# prints mean ± std and min..max.
#   bash bench/finetune/learning.sh WORKDIR [SEEDS...]      (default seeds 0 1 2; FROZEN_SEEDS="0" for frozen)
# Environment: DATA=... (a detcon data synth root) and MASKS=... (its FH shards, set fh-s100) reuse an existing
# quickstart's steps (detcon-quickstart/steps/data/KEY, .../steps/masks/KEY); otherwise they are made here
# (data synth, then the mask pipeline with the direct runner). PRETRAIN=... reuses the quickstart's DetCon_B
# seed-0 pretraining step (detcon-quickstart/steps/pretrain/KEY: its backbone/ and backbones/step-00000000/)
# instead of pretraining here. THREADS (default: cores) PyTorch threads per run. TASKS (default "voc-seg nyu-depth")
# limits the tasks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mkdir -p "$1" && cd "$1" && pwd)"
shift
SEEDS=("${@:-0 1 2}")
read -r -a SEEDS <<< "${SEEDS[*]}"
THREADS="${THREADS:-$(nproc)}"
DETCON="$ROOT/detcon"
if [ -z "${DATA:-}" ]; then
  DATA="$WORK/data"
  [ -f "$DATA/synth.json" ] || "$DETCON" data synth --out "$DATA" --images 1000 --val-images 200 --size 96 --seed 0
fi
if [ -z "${MASKS:-}" ]; then
  MASKS="$WORK/masks"
  [ -f "$MASKS/_manifest.json" ] || "$DETCON" masks run --input "$DATA/coco/train" --output "$MASKS" \
    --masks fh:100 --runner direct
fi
# the pretrained backbone and its initialisation (bench.finetune.PretrainWithInit; resumes)
PRETRAIN="${PRETRAIN:-$WORK/pretrain}"
sed "s#MASKS#$MASKS#; s#OUT#$WORK/pretrain#; s#torch_threads: 2#torch_threads: $THREADS#" \
  "$ROOT/bench/finetune/pretrain_detcon_b.yaml" > "$WORK/pretrain.yaml"
if [ ! -f "$PRETRAIN/backbone/backbone.json" ]; then
  ( source "$ROOT/bench/train/classpath.sh"
    java -Xmx3g "${JAVA_FLAGS[@]}" -cp "$CP" org.detcon.bench.finetune.PretrainWithInit config="$WORK/pretrain.yaml" )
fi
declare -A BACKBONE=([detcon_b]="$PRETRAIN/backbone" [random]="$PRETRAIN/backbones/step-00000000")
for task in ${TASKS:-voc-seg nyu-depth}; do
  recipe="$ROOT/configs/eval/$([ "$task" = voc-seg ] && echo voc-fcn-cpu || echo nyu-depth-cpu).yaml"
  for mode in finetune frozen; do
    seeds=("${SEEDS[@]}")
    [ "$mode" = frozen ] && read -r -a seeds <<< "${FROZEN_SEEDS:-0}"
    for init in detcon_b random; do
      for seed in "${seeds[@]}"; do
        out="$WORK/runs/$task-$mode-$init-s$seed"
        [ -f "$out/result.json" ] && continue
        echo "== $task $mode $init seed $seed -> $out"
        /usr/bin/time -f "   %e s wall, %U s user, %M KiB peak" "$DETCON" eval finetune --task "$task" \
          --config "$recipe" --backbone "${BACKBONE[$init]}" --data "$DATA" --out "$out" \
          --set "backbone.mode=$mode" --set "seed=$seed" --set "torch_threads=$THREADS" 2>&1 \
          | tr '\r' '\n' | grep -v '^step \|WARN\|Warning: AutoNonVariable' || true
      done
    done
  done
done
/usr/bin/python3 - "$WORK/runs" <<'PY'
import glob, json, os, statistics, sys
rows = {}
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*", "result.json"))):
    task, mode, init, seed = os.path.basename(os.path.dirname(f)).rsplit("-", 3)
    m = json.load(open(f))["metrics"]
    rows.setdefault((task, mode, init), []).append(m)
def fmt(vals, pct):
    k = 100 if pct else 1
    v = [x * k for x in vals]
    sd = statistics.stdev(v) if len(v) > 1 else float("nan")
    d = 1 if pct else 3
    return f"{statistics.mean(v):.{d}f} ± {sd:.{d}f} ({min(v):.{d}f}..{max(v):.{d}f})"
print("| task | backbone mode | initialisation | n | main metric (%) | second |")
print("|---|---|---|---:|---|---|")
for (task, mode, init), ms in sorted(rows.items()):
    main, second, pct2 = ("miou", "pixel_accuracy", True) if task == "voc-seg" else ("delta1", "abs_rel", False)
    print(f"| {task} | {mode} | {init} | {len(ms)} | {main} {fmt([m[main] for m in ms], True)} |"
          f" {second} {fmt([m[second] for m in ms], pct2)} |")
PY
