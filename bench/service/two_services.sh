#!/usr/bin/env bash
# A sweep dispatched to two trainer services on one machine (issue 13): two services with SLOTS CPU slots each on
# two loopback ports (the same token), then `detcon sweep run --service URL1,URL2 --service-shared-fs` of a 2-cell
# sweep (the tiny data, masks and ResNet-18 of the sweep tests; DetCon-B and BYOL, STEPS steps, probes of the final
# backbones). Prints the sweep's output, where each step ran (the run store), and the wall and CPU time.
# With OUTPUTS (an s3:// prefix) the step outputs go there instead (`--outputs OUTPUTS`, no shared filesystem: the
# probe jobs stage the dataset from the store on the services); the services and the sweep take the S3 settings from the environment, e.g.
# `./detcon infra up && eval "$(infra/local/s3.sh env)"` and OUTPUTS=s3://detcon/bench/two-services.
#   bench/service/two_services.sh [STEPS=20] [SLOTS=1] [PORT=18471] [OUTPUTS]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
STEPS="${1:-20}"; SLOTS="${2:-1}"; PORT="${3:-18471}"; OUTPUTS="${4:-}"
if [ -n "$OUTPUTS" ]; then WHERE=(--outputs "$OUTPUTS"); else WHERE=(--service-shared-fs); fi
TOKEN="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
start_service s1 "$PORT" "$SLOTS" "$TOKEN"
start_service s2 "$((PORT + 1))" "$SLOTS" "$TOKEN"
cat > "$WORK/two.yaml" <<YAML
name: two-services
base:
  method: detcon_b
  backbone: {depth: 18}
  image_size: 32
  batch_size: 4
  steps: $STEPS
  heads: {hidden: 32, out: 16}
  masks: {set: fh-s100, per_view: 4}
  optimizer: {base_lr: 2.0, warmup_steps: 1}
  ema: {base_tau: 0.99}
  data: {shuffle_buffer: 8, threads: 1, prefetch: 1}
  output: {checkpoint_every: 10, keep_checkpoints: 1}
  torch_threads: 1
grid: {method: [detcon_b, byol]}
seeds: [0]
data: {synth: {images: 12, val_images: 4, size: 32}}
masks: {sets: ["fh:100"], runner: direct, parallelism: 1}
evals: [{probe: {input: 32, train: 8, val: 4}}]
YAML
/usr/bin/time -v -o "$WORK/sweep.time" "$DETCON" sweep run "$WORK/two.yaml" --workdir "$WORK/work" \
  --service "http://127.0.0.1:$PORT,http://127.0.0.1:$((PORT + 1))" "${WHERE[@]}" \
  --service-token-file "$WORK/s1/token"
"$DETCON" runs show 1 --workdir "$WORK/work" --json | grep -E '"(label|status|placed)"' || true
grep -E "Elapsed|User time|System time" "$WORK/sweep.time" | sed 's/^\s*/sweep client: /'
for s in s1 s2; do echo "$s: $(grep -c 'SUCCEEDED' "$WORK/$s.log") jobs succeeded"; done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
