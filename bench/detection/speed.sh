#!/usr/bin/env bash
# CPU speed of the DJL Mask R-CNN beside torchvision's maskrcnn_resnet50_fpn (issue 14): training iterations and
# inference images at the same input size, batch and thread count, on synthetic images with rectangle objects.
#   bash bench/detection/speed.sh [SIZE] [BATCH] [THREADS] [STEPS]     (defaults 512 2 all-cores 3)
# Prints one JSON line per measurement (wall and process CPU seconds per iteration) and a table. On a shared
# machine compare CPU seconds; PyTorch's OpenMP threads spin unless OMP_WAIT_POLICY=PASSIVE (set here).
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZE="${1:-512}"
BATCH="${2:-2}"
THREADS="${3:-$(nproc)}"
STEPS="${4:-3}"
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS"
OUT="$(mktemp)"
BENCH_JAVA_OPTS="-Xmx8g -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dorg.slf4j.simpleLogger.defaultLogLevel=error" \
  bash bench/java.sh org.detcon.bench.detection.DetectionSpeed depth=50 size="$SIZE" batch="$BATCH" warmup=1 \
  steps="$STEPS" infer=4 threads="$THREADS" | grep '^{' | tee -a "$OUT"
/usr/bin/python3 bench/detection/torchvision_speed.py --size "$SIZE" --batch "$BATCH" --steps "$STEPS" --infer 4 \
  --threads "$THREADS" 2>/dev/null | tee -a "$OUT"
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
rows = {r["kind"]: r for r in (json.loads(l) for l in open(sys.argv[1]) if l.startswith("{"))}
print("| measurement | DJL wall s | DJL CPU s | torchvision wall s | torchvision CPU s | CPU ratio DJL/torchvision |")
print("|---|---|---|---|---|---|")
for k in ("train", "infer"):
    d, t = rows.get("djl-" + k), rows.get("torchvision-" + k)
    if d and t:
        what = f"{k} ({d['size']} px, batch {d['batch']}, {d['threads']} threads), per iteration"
        print(f"| {what} | {d['wall_s_per_iter']} | {d['cpu_s_per_iter']} | {t['wall_s_per_iter']} | "
              f"{t['cpu_s_per_iter']} | {d['cpu_s_per_iter'] / t['cpu_s_per_iter']:.2f} |")
PY
rm -f "$OUT"
