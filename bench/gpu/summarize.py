"""Summary of a check.sh results folder: summary.json next to it, the table on stdout (standard library only).

usage: python3 summarize.py RESULTS_DIR MODE
"""
import glob
import json
import math
import os
import statistics
import sys


def json_lines(path, prefix="{"):
    out = []
    if os.path.exists(path):
        with open(path, errors="replace") as f:
            for line in f:
                line = line.strip()
                if line.startswith(prefix):
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        pass
    return out


def last_json(path, prefix="{"):
    rows = json_lines(path, prefix)
    return rows[-1] if rows else None


def curve(path, skip=3):
    """Loss per step, and img/s and data wait over the steps after the first `skip` (start-up, cuDNN search)."""
    rows = json_lines(path)
    if not rows:
        return None
    steady = rows[skip:] if len(rows) > skip else rows
    return dict(steps=len(rows), loss=[round(r["loss"], 6) for r in rows],
                img_per_s_mean=round(statistics.mean(r["img_per_s"] for r in steady), 2),
                data_wait_mean=round(statistics.mean(r["data_wait"] for r in steady), 4),
                data_wait_max=round(max(r["data_wait"] for r in steady), 4))


def main():
    out, mode = sys.argv[1], sys.argv[2]
    s = dict(mode=mode)
    with open(os.path.join(out, "steps.tsv")) as f:
        s["steps"] = [dict(zip(("step", "rc", "seconds", "note"), l.rstrip("\n").split("\t"))) for l in f][1:]
    env = os.path.join(out, "env.log")
    if os.path.exists(env):
        s["env"] = open(env).read().strip().splitlines()
    doctor = os.path.join(out, "doctor.log")
    if os.path.exists(doctor):
        s["doctor"] = [l for l in open(doctor).read().splitlines() if l.strip()]
    s["reference"] = [r for p in sorted(glob.glob(os.path.join(out, "reference-*.log"))) for r in [last_json(p)] if r]
    s["stepbench"] = [r for p in sorted(glob.glob(os.path.join(out, "stepbench-*.log")))
                      for r in [last_json(p, '{"kind":"djl-')] if r]
    a, b = curve(os.path.join(out, "precision-a.metrics.jsonl")), curve(os.path.join(out, "precision-b.metrics.jsonl"))
    if a and b:
        n = min(a["steps"], b["steps"])
        d = [abs(x - y) for x, y in zip(a["loss"][:n], b["loss"][:n])]
        rel = [abs(x - y) / max(abs(x), 1e-12) for x, y in zip(a["loss"][:n], b["loss"][:n])]
        tail = max(1, n // 10)
        s["precision"] = dict(steps=n, max_abs_diff=max(d), max_rel_diff=max(rel),
                              last_loss_a=a["loss"][n - 1], last_loss_b=b["loss"][n - 1],
                              mean_last10pct_a=statistics.mean(a["loss"][n - tail:n]),
                              mean_last10pct_b=statistics.mean(b["loss"][n - tail:n]),
                              img_per_s_a=a["img_per_s_mean"], img_per_s_b=b["img_per_s_mean"])
    t = curve(os.path.join(out, "train.metrics.jsonl"))
    if t:
        t["result"] = last_json(os.path.join(out, "train.log"), '{"kind":"train"')
        mem = os.path.join(out, "gpu-memory.csv")
        if os.path.exists(mem):
            used = []
            util = []
            for line in open(mem):
                p = [x.strip() for x in line.split(",")]
                if len(p) >= 4 and p[1].isdigit():
                    used.append(int(p[1]))
                    util.append(int(p[3]) if p[3].isdigit() else 0)
            if used:
                t["gpu_memory_peak_mib"] = max(used)
                t["gpu_memory_total_mib"] = int(p[2]) if p[2].isdigit() else None
                t["gpu_util_mean_pct"] = round(statistics.mean(util), 1)
        s["train"] = t
    v = last_json(os.path.join(out, "views.log"), '{"kind":"views"')
    if v:
        # a DetCon step needs two views per image; the threads one rate needs at this host's per-thread rate
        per = v["views_per_s_per_thread"] / 2
        v["img_per_s_per_thread"] = round(per, 1)
        v["img_per_s_all_threads"] = round(v["views_per_s"] / 2, 1)
        v["threads_for"] = {str(r): math.ceil(r / per) if per > 0 else None for r in (657, 1248)}
        s["views"] = v
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(s, f, indent=1)

    print("GPU-host check, mode %s" % mode)
    for st in s["steps"]:
        print("  %-24s rc %-7s %5s s %s" % (st["step"], st["rc"], st["seconds"], st.get("note", "")))
    for line in s.get("env", []):
        print("  " + line)
    for line in s.get("doctor", []):
        print("  doctor: " + line)
    print("img/s (one step = online + target on two views, loss, optimizer, EMA):")
    for r in s["reference"]:
        print("  PyTorch %-5s %-14s %s %s px batch %s: %8.1f img/s  (torch %s, %s)" % (
            r.get("prec"), "channels-last" if r.get("channels_last") else "", r.get("arch"), r.get("res"),
            r.get("batch"), r.get("img_per_s", 0), r.get("torch"), r.get("device")))
    for r in s["stepbench"]:
        print("  DJL     %-5s %-14s %s %s px batch %s: %8.1f img/s  (%s, device %s, loss %.4f)" % (
            r.get("precision"), r.get("kind"), r.get("arch"), r.get("res"), r.get("batch"), r.get("img_per_s", 0),
            r.get("kind"), r.get("device"), r.get("loss", float("nan"))))
    if "precision" in s:
        p = s["precision"]
        print("precision, %d steps DetCon_B from the shards (a = first run, b = second): max |dloss| %.3g (rel %.3g);"
              " last loss %.5f vs %.5f; mean of the last 10%% %.5f vs %.5f; img/s %.1f vs %.1f" % (
                  p["steps"], p["max_abs_diff"], p["max_rel_diff"], p["last_loss_a"], p["last_loss_b"],
                  p["mean_last10pct_a"], p["mean_last10pct_b"], p["img_per_s_a"], p["img_per_s_b"]))
    if "train" in s:
        t = s["train"]
        print("train: %d steps, loss %s ... %s; %.1f img/s, data wait mean %.1f%% (max %.1f%%) after step 3%s%s" % (
            t["steps"], t["loss"][:3], t["loss"][-3:], t["img_per_s_mean"], 100 * t["data_wait_mean"],
            100 * t["data_wait_max"],
            "; GPU memory peak %s of %s MiB, utilisation mean %s%%" % (
                t["gpu_memory_peak_mib"], t["gpu_memory_total_mib"], t["gpu_util_mean_pct"])
            if "gpu_memory_peak_mib" in t else "",
            "; peak RSS %s MiB" % t["result"]["peak_rss_mib"] if t.get("result") else ""))
    if "views" in s:
        v = s["views"]
        print("data side (ViewBench, %s): %.1f views/s on 1 thread; %.1f views/s on %d threads = %.1f img/s per thread,"
              " %.1f img/s in all (per CPU-second of a thread: %s views on 1 thread, %s on %d); threads needed at"
              " that rate: %s for 657 img/s, %s for 1,248 img/s" % (
                  v.get("image"), v["views_per_s_1_thread"], v["views_per_s"], v["threads"],
                  v["img_per_s_per_thread"], v["img_per_s_all_threads"], v.get("views_per_cpu_s_1_thread"),
                  v.get("views_per_cpu_s"), v["threads"], v["threads_for"]["657"], v["threads_for"]["1248"]))


if __name__ == "__main__":
    main()
