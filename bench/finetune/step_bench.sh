#!/usr/bin/env bash
# The fine-tuning step on the CPU, DJL vs PyTorch (issue 11): VOC FCN (ResNet-50, 513x513, batch 2) and NYU depth
# (ResNet-50 + up-projection decoder, 304x228, batch 8), the same number of intra-op threads on both sides; one
# JSON line per run, then a table. Wall time is noisy on a shared machine: compare the process CPU seconds.
#   bash bench/finetune/step_bench.sh [THREADS] [STEPS]     (defaults: all cores, 3 timed steps after 1 warm-up)
# Python: Debian's /usr/bin/python3 with python3-torch and python3-torchvision.
source "$(dirname "${BASH_SOURCE[0]}")/../train/classpath.sh"
HERE="$ROOT/bench/finetune"
THREADS="${1:-$(nproc)}"
STEPS="${2:-3}"
OUT="$(mktemp)"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
for t in voc-seg nyu-depth; do
  OMP_NUM_THREADS="$THREADS" java -Xmx8g "${JAVA_FLAGS[@]}" -cp "$CP" org.detcon.bench.finetune.FinetuneStepBench \
    task="$t" warmup=1 steps="$STEPS" threads="$THREADS" 2>/dev/null | tee -a "$OUT"
  OMP_NUM_THREADS="$THREADS" /usr/bin/python3 "$HERE/torch_finetune_step.py" --task "$t" --warmup 1 \
    --steps "$STEPS" --threads "$THREADS" | tee -a "$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {r["kind"]: r for r in rows}
print("| step | DJL s/img (CPU s/img) | PyTorch s/img (CPU s/img) | DJL/PyTorch CPU |")
print("|---|---|---|---|")
for t in ("voc-seg", "nyu-depth"):
    d, p = by.get("djl-" + t), by.get("pytorch-" + t)
    if d and p:
        print(f"| {t} {d['size']} batch {d['batch']} | {d['s_per_img']:.2f} ({d['cpu_s_per_img']:.2f}) |"
              f" {p['s_per_img']:.2f} ({p['cpu_s_per_img']:.2f}) | {d['cpu_s_per_img'] / p['cpu_s_per_img']:.2f} |")
PY
rm -f "$OUT"
