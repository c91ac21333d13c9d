# Sourced by bench/service scripts: the CLI (./detcon builds its jar when stale), a scratch folder, and helpers to
# start a trainer service on loopback and wait for it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DETCON="$ROOT/detcon"
export DETCON_JAVA_OPTS="${DETCON_JAVA_OPTS:--Xmx1g}"
WORK="${WORK:-$(mktemp -d /tmp/detcon-service-bench.XXXXXX)}"
mkdir -p "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# start_service NAME PORT SLOTS [TOKEN]: a service with state $WORK/NAME, logging to $WORK/NAME.log
start_service() {
  local name="$1" port="$2" slots="$3" token="${4:-}"
  mkdir -p "$WORK/$name"
  if [ -n "$token" ]; then (umask 077; echo "$token" > "$WORK/$name/token"); fi
  "$DETCON" service start --state-dir "$WORK/$name" --port "$port" --slots "$slots" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/v1/health" > /dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "service $name did not come up: $(tail -5 "$WORK/$name.log")" >&2
  return 1
}

# the tiny pretraining of the service's tests (BYOL, ResNet-18 at 32 px, batch 4)
tiny_config() {
  local data="$1" out="$2" steps="$3"
  cat <<YAML
method: byol
backbone: {depth: 18}
image_size: 32
batch_size: 4
steps: $steps
heads: {hidden: 32, out: 16}
data: {uri: $data, shuffle_buffer: 4, threads: 1, prefetch: 1}
output: {uri: $out, checkpoint_every: 50, keep_checkpoints: 1}
torch_threads: 1
YAML
}
