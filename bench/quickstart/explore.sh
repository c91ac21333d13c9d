#!/usr/bin/env bash
# Quickstart recipe exploration (issue 16): runs sweeps/quickstart.yaml (DetCon_B with FH masks vs BYOL with the
# global mask, frozen-feature probes of the backbones at the given steps) with some of its settings changed, through
# the sweep engine the quickstart uses, and measures the CPU seconds of every step.
#
#   bash bench/quickstart/explore.sh name=NAME [key=value ...] [CONFIG.PATH=VALUE ...]
#
# Keys (default: the quickstart's): seeds ("0 1") evals (eval_at_steps, "0 50"; the final step is always probed)
# parallel (sweep run --max-parallel: 2, as the quickstart, i.e. two steps at a time on 1 PyTorch thread each)
# images val size synth_seed (the data step) scene ("": the default scenes; else `detcon data synth --scene`'s
# K=V,... and the data is generated here and given to the sweep as a URI) fh (the mask set, e.g. fh:100)
# work (work/explore). Any other KEY=VALUE with a dot or naming a train-config field (optimizer.base_lr=25.6,
# steps=100, masks.per_view=16, batch_size=16) is passed to `detcon sweep run` as --set KEY=VALUE.
# Results: WORK/NAME/ holds the sweep file, the sweep's log, report/ (report.md, results.csv), cpu.json; one TSV row
# per (method, seed, step) is appended to WORK/results.tsv with the probe metrics, the CPU seconds of the cell's
# pretraining step (its child JVM, user+sys, sampled from /proc every second) and of the probe. Steps are reused
# across configurations by their content (WORK/sweep is one sweep workdir): changing only DetCon's settings reruns
# only the DetCon_B cells. The machine is shared: compare CPU seconds, not wall time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

declare -A A=([name]="" [seeds]="0 1" [evals]="0 50" [parallel]=2 [images]="" [val]="" [size]="" [synth_seed]=""
  [scene]="" [fh]="" [work]=work/explore)
SETS=()
for kv in "$@"; do
  k="${kv%%=*}"
  if [ -n "${A[$k]+x}" ]; then A[$k]="${kv#*=}"; else SETS+=(--set "$kv"); fi
done
[ -n "${A[name]}" ] || { echo "explore.sh: give name=NAME" >&2; exit 2; }
W="$ROOT/${A[work]}"
RUN="$W/${A[name]}"
mkdir -p "$RUN"
printf '%s\n' "$@" >"$RUN/args.txt"
export OMP_WAIT_POLICY=PASSIVE
JAR="$ROOT/orchestration/target/detcon-cli.jar"
[ -f "$JAR" ] || (mvn -B -ntp -q -pl orchestration -am package -DskipTests)
# the sweep's child JVMs run from this copy, so that a rebuild meanwhile does not change them
cp -p "$JAR" "$RUN/detcon-cli.jar"
DETCON=(java -Ddetcon.home="$ROOT" -jar "$RUN/detcon-cli.jar")

# data with another scene style: generated here, cached by its parameters and the generator's sources
DATA=""
if [ -n "${A[scene]}" ]; then
  gen="$(cat orchestration/src/main/java/org/detcon/orchestration/synth/*.java | sha1sum | cut -c1-8)"
  dkey="$(echo "${A[images]} ${A[val]} ${A[size]} ${A[synth_seed]} ${A[scene]} $gen" | sha1sum | cut -c1-10)"
  DATA="$W/data/$dkey"
  if [ ! -f "$DATA/synth.json" ]; then
    mkdir -p "$W/data"
    "${DETCON[@]}" data synth --out "$DATA" --images "${A[images]:-1000}" --val-images "${A[val]:-200}" \
      --size "${A[size]:-96}" --seed "${A[synth_seed]:-0}" --scene "${A[scene]}" >&2
  fi
fi

# the sweep file: the quickstart's with the keys above
SWEEP="$RUN/sweep.yaml"
python3 - "$ROOT/sweeps/quickstart.yaml" "$SWEEP" "${A[name]}" "${A[seeds]}" "${A[evals]}" "${A[images]}" \
  "${A[val]}" "${A[size]}" "${A[synth_seed]}" "${A[fh]}" "$DATA" <<'EOF'
import sys, yaml
src, out, name, seeds, evals, images, val, size, sseed, fh, data = sys.argv[1:12]
f = yaml.safe_load(open(src))
f["name"] = "explore-" + name
f["seeds"] = [int(s) for s in seeds.split()]
f["eval_at_steps"] = [int(s) for s in evals.split()]
synth = f["data"]["synth"]
for key, v in (("images", images), ("val_images", val), ("size", size), ("seed", sseed)):
    if v:
        synth[key] = int(v)
if fh:
    f["masks"]["sets"] = [fh]
    kind, k = fh.split(":")
    f["base"]["masks"]["set"] = "%s-s%s" % (kind, k)
if data:
    f["data"] = {"uri": data + "/coco/train"}
    for e in f["evals"]:
        e["probe"]["data"] = data
yaml.safe_dump(f, open(out, "w"), sort_keys=False, width=120)
EOF

# CPU seconds of each child JVM of the sweep (user+sys from /proc/PID/stat, the last sample before it exits)
python3 - "$W/sweep" "$RUN/cpu.json" <<'EOF' &
import json, os, sys, time
work, out = sys.argv[1], sys.argv[2]
tick = os.sysconf("SC_CLK_TCK")
cpu, info = {}, {}
while True:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            args = open("/proc/%s/cmdline" % pid, "rb").read().split(b"\0")
            if b"exec" not in args:
                continue
            spec = args[args.index(b"exec") + 1].decode()
            if not spec.startswith(work):
                continue
            st = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
            sid = os.path.basename(spec)[:-len(".json")]
            if sid not in info:
                s = json.load(open(spec))["step"]
                info[sid] = {"kind": s["kind"], "key": s["key"][:16]}
            cpu[sid] = (int(st[11]) + int(st[12])) / tick
        except (OSError, ValueError, KeyError, IndexError):
            pass
    tmp = out + ".tmp"
    json.dump({k: dict(info[k], cpu_s=round(cpu[k], 1)) for k in cpu}, open(tmp, "w"), indent=1)
    os.replace(tmp, out)
    time.sleep(1)
EOF
POLLER=$!
trap 'kill $POLLER 2>/dev/null || true' EXIT

status=0
/usr/bin/time -f '%U %S %e' -o "$RUN/sweep.time" "${DETCON[@]}" sweep run "$SWEEP" --workdir "$W/sweep" \
  --max-parallel "${A[parallel]}" "${SETS[@]}" >"$RUN/sweep.log" 2>&1 || status=$?
sleep 2
kill $POLLER 2>/dev/null || true
tail -3 "$RUN/sweep.log" >&2
awk '{printf "sweep: %.1f s CPU (user+sys, all processes), %.1f s wall\n", $1 + $2, $3}' "$RUN/sweep.time" >&2
"${DETCON[@]}" sweep report "$SWEEP" --workdir "$W/sweep" --out "$RUN/report" "${SETS[@]}" >&2

[ -f "$W/results.tsv" ] || printf 'name\tmethod\tseed\tstep\tmiou\tpix_acc\tdelta1\tabs_rel\ttrain_cpu_s\tprobe_cpu_s\n' \
  >"$W/results.tsv"
"${DETCON[@]}" sweep status "$SWEEP" --workdir "$W/sweep" --json "${SETS[@]}" >"$RUN/status.json"
python3 - "${A[name]}" "$RUN/status.json" "$RUN/cpu.json" "$W/cpu-seen.json" <<'EOF' >>"$W/results.tsv"
import json, os, sys
name, status, cpu_file, seen_file = sys.argv[1:5]
# CPU seconds by step key; a step reused from an earlier configuration keeps the seconds measured when it ran
seen = json.load(open(seen_file)) if os.path.exists(seen_file) else {}
seen.update({v["key"]: v["cpu_s"] for v in json.load(open(cpu_file)).values()} if os.path.exists(cpu_file) else {})
json.dump(seen, open(seen_file, "w"), indent=1)
cpu = lambda key: "%.1f" % seen[key[:16]] if key and key[:16] in seen else "?"
for c in sorted(json.load(open(status))["cells"], key=lambda c: (c["seed"], c["axes"]["method"] != "detcon_b")):
    for e in sorted((e for e in c["evals"] if e["eval"] == "probe" and e["status"] == "done"),
                    key=lambda e: e["step"]):
        m = e["metrics"]
        print("\t".join([name, c["axes"]["method"], str(c["seed"]), str(e["step"])] + ["%.4f" % m[k] for k in
                         ("miou", "pixel_accuracy", "delta1", "abs_rel")] + [cpu(c["pretrain"]["key"]),
                                                                            cpu(e.get("key"))]))
EOF
grep -P "^${A[name]}\t" "$W/results.tsv" | column -t >&2
exit $status
