"""Mean ± std (min..max) of COCO AP over the runs of bench/detection/learning.sh: RUNS/INIT-...-sSEED/result.json."""
import glob
import json
import os
import statistics
import sys

rows = {}
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*", "result.json"))):
    init = os.path.basename(os.path.dirname(f)).split("-")[0]
    r = json.load(open(f))
    rows.setdefault(init, []).append((r["bbox"]["stats"], r["segm"]["stats"], r["seconds"]))


def fmt(v):
    v = [100 * x for x in v]
    sd = statistics.stdev(v) if len(v) > 1 else float("nan")
    return f"{statistics.mean(v):.2f} ± {sd:.2f} ({min(v):.2f}..{max(v):.2f})"


print("| initialisation | n | AP^bb | AP^bb_50 | AP^mk | AP^mk_50 |")
print("|---|---:|---|---|---|---|")
for init, runs in sorted(rows.items()):
    print(f"| {init} | {len(runs)} | {fmt([b[0] for b, _, _ in runs])} | {fmt([b[1] for b, _, _ in runs])} |"
          f" {fmt([s[0] for _, s, _ in runs])} | {fmt([s[1] for _, s, _ in runs])} |")
