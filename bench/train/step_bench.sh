#!/usr/bin/env bash
# CPU training-step throughput, DJL vs PyTorch (issue 4): DetCon_B and BYOL, ResNet-18, 96 px, batch 32, the same
# number of intra-op threads on both sides; prints one JSON line per run and the DJL/PyTorch ratios.
#   bench/train/step_bench.sh [THREADS] [STEPS]      (defaults: all cores, 5 timed steps after 2 warm-up steps)
# PyTorch's OpenMP threads spin while waiting: run it on a quiet machine. Python: Debian's /usr/bin/python3 + torch.
source "$(dirname "${BASH_SOURCE[0]}")/classpath.sh"
THREADS="${1:-$(nproc)}"
STEPS="${2:-5}"
HERE="$ROOT/bench/train"
OUT="$(mktemp)"
for m in detcon_b byol; do
  OMP_NUM_THREADS="$THREADS" java -Xmx4g "${JAVA_FLAGS[@]}" -cp "$CP" org.detcon.bench.train.StepBench \
    method="$m" size=96 batch=32 masks=16 warmup=2 steps="$STEPS" threads="$THREADS" 2>/dev/null | tee -a "$OUT"
  OMP_NUM_THREADS="$THREADS" /usr/bin/python3 "$HERE/torch_step.py" --method "$m" --res 96 --batch 32 --masks 16 \
    --warmup 2 --steps "$STEPS" --threads "$THREADS" | tee -a "$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {r["kind"]: r for r in rows}
print("| method | DJL steps/s | PyTorch steps/s | DJL/PyTorch |")
print("|---|---|---|---|")
for m in ("detcon_b", "byol"):
    d, p = by.get("djl-" + m), by.get("pytorch-" + m)
    if d and p:
        print(f"| {m} | {d['steps_per_s']:.3f} | {p['steps_per_s']:.3f} | {d['steps_per_s'] / p['steps_per_s']:.2f} |")
PY
rm -f "$OUT"
