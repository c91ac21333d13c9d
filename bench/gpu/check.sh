#!/usr/bin/env bash
# The GPU-host check (bench/gpu/README.md), run from the unpacked bundle (bench/gpu/bundle.sh):
#   bash check.sh                      # GPU host: Python + PyTorch (CUDA) + a C++ compiler; no Java, no network
#   bash check.sh --cpu [--torch-lib DIR] [--jni FILE|built] [--no-jni-build]   # the same steps, small, on a CPU
# Steps, each with its own timeout, results written as they come into $OUT (default ./results-DATE):
#   1 env          versions of Python, torch, compiler; the torch the JNI is built against
#   2 jni          DJL v0.36.0's PyTorch JNI compiled against the installed torch (jni-build.log, libdjl_torch.so)
#   3 nvidia-smi   the GPU (GPU mode)
#   4 reference    pytorch_detcon_reference.py: DetCon_B ResNet-50 224 px batch 256, TF32 and bf16 + channels-last
#   5 doctor       the Java side finds that torch through PYTORCH_LIBRARY_PATH and the JNI just built
#   6 stepbench    StepBench DetCon_B and BYOL, ResNet-50, 224 px, batch 256, tf32 and fp32
#   7 precision    100 training steps of DetCon_B from the shards in fp32 and in tf32: the loss curves compared
#   8 train        a short training run from the shards (tf32, batch 256): loss curve, img/s, data wait, GPU memory
#     views        the data side: decoded + augmented views/s per thread on 1 thread and on all cores (ViewBench)
#   9 summary      summary.txt + summary.json
# A failed step does not stop the later ones that do not depend on it (5-8 need 2 in GPU mode). The whole script
# stops starting steps when less than 15 s of its BUDGET (default 540 s) is left.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
MODE=auto
NO_JNI_BUILD=0
TORCH_LIB=""
JNI=""
BUDGET="${BUDGET:-540}"
PYTHON="${PYTHON:-python3}"
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu) MODE=cpu ;;
    --gpu) MODE=gpu ;;
    --torch-lib) TORCH_LIB="$2"; shift ;;
    --jni) JNI="$2"; shift ;;
    --budget) BUDGET="$2"; shift ;;
    --no-jni-build) NO_JNI_BUILD=1 ;;
    --out) OUT="$2"; shift ;;
    *) echo "check.sh: unknown argument $1 (--cpu | --gpu | --torch-lib DIR | --jni FILE | --budget S | --out DIR | --no-jni-build)" >&2
       exit 2 ;;
  esac
  shift
done
OUT="${OUT:-$HERE/results-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$OUT/work"
mkdir -p "$WORK"
START=$SECONDS
STEPS="$OUT/steps.tsv"
printf 'step\trc\tseconds\tnote\n' > "$STEPS"
JAVA="$HERE/jre/bin/java"
CP="$HERE/lib/*"

say() { echo "check: [$((SECONDS - START)) s] $*" | tee -a "$OUT/check.log" >&2; }
left() { echo $((BUDGET - (SECONDS - START))); }
# step NAME TIMEOUT_S CMD...: runs CMD (a command or an exported function) with stdout+stderr to NAME.log under min(TIMEOUT_S, budget left), records it.
step() {
  local name="$1" limit="$2"; shift 2
  local l; l=$(left)
  if [ "$l" -lt 15 ]; then
    printf '%s\t%s\t%s\t%s\n' "$name" skipped 0 "budget spent" >> "$STEPS"; say "$name: skipped (budget spent)"
    return 99
  fi
  [ "$limit" -gt "$l" ] && limit=$l
  say "$name: start (timeout ${limit} s)"
  local t=$SECONDS rc
  timeout -k 5 "$limit" bash -c '"$@"' _ "$@" > "$OUT/$name.log" 2>&1
  rc=$?
  local note=""; [ $rc -eq 124 ] || [ $rc -eq 137 ] && note="timed out after ${limit} s"
  printf '%s\t%s\t%s\t%s\n' "$name" "$rc" "$((SECONDS - t))" "$note" >> "$STEPS"
  say "$name: rc $rc in $((SECONDS - t)) s $note"
  return $rc
}
skip() { printf '%s\t%s\t%s\t%s\n' "$1" skipped 0 "$2" >> "$STEPS"; say "$1: skipped ($2)"; }

if [ "$MODE" = auto ]; then
  if command -v nvidia-smi >/dev/null 2>&1 && "$PYTHON" -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    MODE=gpu
  else
    MODE=cpu
  fi
fi
say "mode $MODE, results in $OUT, budget $BUDGET s"

# ---- 1 env ----
env_info() {
  echo "date: $(date -u +%FT%TZ)"; echo "host: $(uname -a)"; echo "cores: $(nproc)"
  echo "bundle commit: $(cat "$HERE/COMMIT" 2>/dev/null)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "python: $("$PYTHON" --version 2>&1)"
  "$PYTHON" - <<'PY'
import json
try:
    import torch, torch.utils.cpp_extension as ce
    d = dict(torch=torch.__version__, cuda=torch.version.cuda, cxx11_abi=int(torch._C._GLIBCXX_USE_CXX11_ABI),
             cmake_prefix=torch.utils.cmake_prefix_path, include=ce.include_paths(), lib=ce.library_paths()[0],
             cuda_available=torch.cuda.is_available(),
             gpu=torch.cuda.get_device_name() if torch.cuda.is_available() else None)
    try:
        import torchvision
        d["torchvision"] = torchvision.__version__
    except Exception as e:
        d["torchvision"] = "missing: %s" % e
except Exception as e:
    d = dict(torch="missing: %s" % e)
print("torch: " + json.dumps(d))
PY
  echo "c++: $( (g++ --version || c++ --version) 2>&1 | head -1)"
  echo "cmake: $(cmake --version 2>&1 | head -1)"
}
export -f env_info
export HERE JAVA PYTHON
step env 60 env_info
PYTORCH_INFO="$(grep '^torch: ' "$OUT/env.log" | sed 's/^torch: //')"
pyget() { echo "$PYTORCH_INFO" | "$PYTHON" -c "import json,sys; d=json.load(sys.stdin); v=d.get('$1'); print(' '.join(v) if isinstance(v,list) else ('' if v is None else v))" 2>/dev/null; }
PY_TORCH_VERSION="$(pyget torch)"
PY_TORCH_LIB="$(pyget lib)"

# ---- 2 jni: DJL's sources, the flags of DJL's CMake build, without CMake ----
# DJL's CMakeLists compiles src/main/native/*.cc (C++17) with TORCH_CXX_FLAGS (-D_GLIBCXX_USE_CXX11_ABI=0|1) against
# find_package(Torch) and JNI, includes build/include (the javac -h header, made by bundle.sh) and
# api/src/main/native, links TORCH_LIBRARIES with -Wl,-rpath,$ORIGIN. find_package(Torch) of a pip CUDA build needs
# the CUDA toolkit (nvcc), which a pip installation lacks, so this compiles the same sources directly. USE_CUDA is
# left off: in DJL's sources it only adds a CUDA stream for TorchScript inference and emptyCache, neither used by the
# trainer; tensors reach CUDA through the dispatcher either way. PT_VERSION=V1_13_X for torch 1.13-2.1 (as build.sh).
build_jni() {
  local inc="$1" lib="$2" abi="$3" version="$4" out="$5"
  local src="$HERE/djl/engines/pytorch/pytorch-native"
  local defs="-D_GLIBCXX_USE_CXX11_ABI=$abi"
  case "$version" in 1.13.*|2.0.*|2.1.*) defs="$defs -DV1_13_X" ;; esac
  local incs="-I$src/build/include -I$HERE/djl/api/src/main/native -I$HERE/jre/include -I$HERE/jre/include/linux"
  for d in $inc; do incs="$incs -isystem $d"; done
  mkdir -p "$out/obj"
  # c10::optional/nullopt/make_optional (used by DJL's sources) are using-declarations of std's in torch 2.x; should
  # a newer torch drop them, the retry declares them again (harmless next to torch's own using-declarations)
  printf '#include <optional>\nnamespace c10 { using std::optional; using std::nullopt; using std::nullopt_t; using std::make_optional; }\n' \
    > "$out/c10_optional_compat.h"
  local std=c++17 extra="" ok=0 tries=0 log
  while [ $tries -lt 3 ]; do
    tries=$((tries + 1))
    log="$out/errors-$tries.txt"; rm -f "$out"/obj/*.o
    echo "compiling with: g++ -std=$std -O2 -fPIC $extra $defs $incs"
    if ls "$src"/src/main/native/*.cc | xargs -P "$(nproc)" -I{} sh -c \
        "g++ -std=$std -O2 -fPIC -w $extra $defs $incs -c {} -o $out/obj/\$(basename {} .cc).o 2>>$log || exit 255"
    then ok=1; break; fi
    head -c 4000 "$log"
    if [ $std = c++17 ] && grep -qi 'c++20\|c++2a\|std=c++2' "$log"; then
      std=c++20 # DJL builds with C++17; a newer torch's headers may ask for C++20
    elif [ -z "$extra" ] && grep -q 'nullopt\|c10::optional\|make_optional' "$log"; then
      extra="-include $out/c10_optional_compat.h"
    else
      break
    fi
  done
  [ $ok = 1 ] || return 1
  g++ -shared -o "$out/libdjl_torch.so" "$out"/obj/*.o -L"$lib" -Wl,--no-as-needed -ltorch -ltorch_cpu -lc10 \
    -Wl,-rpath,'$ORIGIN' || return 1
  ls -l "$out/libdjl_torch.so"
}
export -f build_jni
BUILT_JNI=""
if [ "$NO_JNI_BUILD" = 1 ]; then
  skip jni "--no-jni-build"
elif [ -n "$PY_TORCH_LIB" ]; then
  TORCH_INC="$(pyget include)"
  ABI="$(pyget cxx11_abi)"
  if step jni 300 build_jni "$TORCH_INC" "$PY_TORCH_LIB" "$ABI" "$PY_TORCH_VERSION" "$WORK/jni"; then
    BUILT_JNI="$WORK/jni/libdjl_torch.so"
  fi
else
  skip jni "no importable torch for $PYTHON"
fi

# ---- what the Java side runs on ----
if [ "$MODE" = gpu ]; then
  TORCH_LIB="${TORCH_LIB:-$PY_TORCH_LIB}"
  JNI="${JNI:-$BUILT_JNI}"
  PT_VERSION="${PY_TORCH_VERSION%%+*}"
  FLAVOR="cu$("$PYTHON" -c 'import torch; print(torch.version.cuda.replace(".",""))' 2>/dev/null)"
  SIZE=224 BATCH=256 DEPTH=50 WARM=3 TIMED=10 PSTEPS=100 PBATCH=64 TSTEPS=60 TBATCH=256 DEV=gpu TPREC=tf32 VSECS=10
else
  # CPU: DJL's extracted libtorch 2.7.1 and the pytorch-jni CPU JNI unless given; --jni built: the JNI just built
  # and the torch of $PYTHON it was built against (the GPU route, on a CPU)
  if [ "$JNI" = built ]; then
    JNI="$BUILT_JNI"
    TORCH_LIB="${TORCH_LIB:-$PY_TORCH_LIB}"
    PT_VERSION="${PY_TORCH_VERSION%%+*}"
    PT_VERSION="${PT_VERSION%%a*}"
  else
    TORCH_LIB="${TORCH_LIB:-$(ls -d "$HOME"/.djl.ai/pytorch/2.7.1-*-cpu-linux-x86_64 2>/dev/null | head -1)}"
    JNI="${JNI:-$HERE/jni/cpu-2.7.1/libdjl_torch.so}"
    PT_VERSION=2.7.1
  fi
  FLAVOR=cpu
  SIZE=64 BATCH=4 DEPTH=18 WARM=1 TIMED=2 PSTEPS=4 PBATCH=8 TSTEPS=4 TBATCH=8 DEV=cpu TPREC=fp32 VSECS=2
fi
JAVA_OK=1
if [ -z "$TORCH_LIB" ] || [ ! -f "$TORCH_LIB/libtorch.so" ]; then
  say "no libtorch.so in '$TORCH_LIB': the Java steps are skipped"; JAVA_OK=0
elif [ -z "$JNI" ] || [ ! -f "$JNI" ]; then
  say "no JNI library (build failed?): the Java steps are skipped"; JAVA_OK=0
fi
if [ $JAVA_OK = 1 ]; then
  # DJL 0.36 (ai.djl.pytorch.jni.LibUtils): PYTORCH_LIBRARY_PATH names the folder with libtorch.so; the JNI is taken
  # from that folder (0.36.0-libdjl_torch.so or libdjl_torch.so) or else from
  # $ENGINE_CACHE_DIR/pytorch/$PYTORCH_VERSION-$PYTORCH_FLAVOR-linux-x86_64/0.36.0-libdjl_torch.so (no download
  # offline). The installed torch stays untouched: the JNI goes into a cache folder of this run. A libtorch folder
  # that carries its own JNI (DJL's extracted CPU cache) is replaced by a folder of links without it.
  if ls "$TORCH_LIB" | grep -q 'djl_torch'; then
    mkdir -p "$WORK/libtorch"
    for f in "$TORCH_LIB"/*; do case "$f" in *djl_torch*) ;; *) ln -sf "$f" "$WORK/libtorch/" ;; esac; done
    TORCH_LIB="$WORK/libtorch"
  fi
  export PYTORCH_LIBRARY_PATH="$TORCH_LIB" PYTORCH_VERSION="$PT_VERSION" PYTORCH_FLAVOR="$FLAVOR"
  export ENGINE_CACHE_DIR="$WORK/djl-cache" DJL_OFFLINE=true
  mkdir -p "$ENGINE_CACHE_DIR/pytorch/$PT_VERSION-$FLAVOR-linux-x86_64"
  cp "$JNI" "$ENGINE_CACHE_DIR/pytorch/$PT_VERSION-$FLAVOR-linux-x86_64/0.36.0-libdjl_torch.so"
  say "DJL: PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH PYTORCH_VERSION=$PT_VERSION PYTORCH_FLAVOR=$FLAVOR JNI=$JNI"
fi
# cuDNN picks its fastest convolution algorithms, as the reference does (torch.backends.cudnn.benchmark = True)
JOPTS="-Xmx24g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dai.djl.pytorch.cudnn_benchmark=true"
[ "$MODE" = cpu ] && JOPTS="-Xmx3g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn"

# ---- 3 nvidia-smi ----
if [ "$MODE" = gpu ]; then
  step nvidia-smi 30 nvidia-smi
else
  skip nvidia-smi "CPU mode"
fi

# ---- 4 reference ----
if "$PYTHON" -c 'import torch, torchvision' 2>/dev/null; then
  if [ "$MODE" = gpu ]; then
    step reference-tf32 120 "$PYTHON" pytorch_detcon_reference.py --prec tf32
    step reference-bf16-cl 120 "$PYTHON" pytorch_detcon_reference.py --prec bf16 --channels-last
  else
    step reference-fp32 120 "$PYTHON" pytorch_detcon_reference.py --arch resnet18 --res $SIZE --batch $BATCH \
      --steps $TIMED --warmup $WARM --prec fp32
  fi
else
  skip reference "$PYTHON has no torch + torchvision"
fi

# ---- 5-8: the Java side ----
sb() { # method precision
  env "$(tf32env "$2")" "$JAVA" $JOPTS -cp "$CP" org.detcon.bench.train.StepBench method="$1" depth=$DEPTH size=$SIZE batch=$BATCH masks=16 \
    warmup=$WARM steps=$TIMED device=$DEV precision="$2"
}
tf32env() { if [ "$1" = tf32 ]; then echo TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1; else echo TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=0; fi; }
train() { # name precision steps batch [strict: NVIDIA_TF32_OVERRIDE=0, no TF32 in cuDNN/cuBLAS at all]
  env "$(tf32env "$2")" $([ "${5:-}" = strict ] && echo NVIDIA_TF32_OVERRIDE=0) "$JAVA" $JOPTS -cp "$CP" org.detcon.bench.gpu.Train train detcon_b-r50-224-shapes.yaml \
    data.uri="$HERE/data/shapes" output.uri="$WORK/$1" precision="$2" steps="$3" batch_size="$4" \
    device=$DEV image_size=$SIZE backbone.depth=$DEPTH optimizer.warmup_steps=$(( $3 / 4 )) data.threads=$(( $(nproc) > 2 ? $(nproc) - 2 : 1 ))
}
export -f sb train tf32env
export JAVA JOPTS CP DEPTH SIZE BATCH WARM TIMED DEV HERE WORK
if [ $JAVA_OK = 1 ]; then
  step doctor 90 "$JAVA" $JOPTS -cp "$CP" org.detcon.bench.gpu.Train doctor
  if [ "$MODE" = gpu ]; then PRECS="tf32 fp32"; else PRECS="fp32"; fi
  for m in detcon_b byol; do
    for p in $PRECS; do
      step "stepbench-$m-$p" 150 sb $m $p
    done
  done
  # precision: the same 100 steps (same data, seed) in strict fp32 and in tf32 (CPU: fp32 twice, a check of the
  # mechanism). The trainer's fp32 leaves cuDNN's default on (TF32 convolutions; DJL 0.36 cannot switch it), so the
  # reference run sets NVIDIA_TF32_OVERRIDE=0, which turns TF32 off in cuDNN and cuBLAS.
  if [ "$MODE" = gpu ]; then PA=fp32 PB=tf32; else PA=fp32 PB=fp32; fi
  step precision-$PA-strict 200 train precision-a $PA $PSTEPS $PBATCH strict
  step precision-$PB$([ $PA = $PB ] && echo -again) 200 train precision-b $PB $PSTEPS $PBATCH
  # the short training run, GPU memory sampled alongside
  SMI_PID=""
  if [ "$MODE" = gpu ]; then
    nvidia-smi --query-gpu=timestamp,memory.used,memory.total,utilization.gpu --format=csv,noheader,nounits \
      -lms 500 > "$OUT/gpu-memory.csv" 2>/dev/null &
    SMI_PID=$!
  fi
  step train 200 train train $TPREC $TSTEPS $TBATCH
  [ -n "$SMI_PID" ] && kill "$SMI_PID" 2>/dev/null
  for d in precision-a precision-b train; do
    [ -f "$WORK/$d/metrics.jsonl" ] && cp "$WORK/$d/metrics.jsonl" "$OUT/$d.metrics.jsonl"
  done
else
  for s in doctor stepbench precision train; do skip $s "no libtorch or JNI for the Java side"; done
fi
# the data side on this host's cores (Java only, no libtorch): decoded + augmented DetCon_B views per second on one
# thread and on every core (ViewBench: JPEG 500x375 + label-map PNG from shard bytes -> two 224 px views + 16 masks)
step views 60 "$JAVA" -Xmx4g -cp "$CP" org.detcon.bench.train.ViewBench threads="$(nproc)" seconds=$VSECS

# ---- 9 summary ----
"$PYTHON" "$HERE/summarize.py" "$OUT" "$MODE" > "$OUT/summary.txt" 2> "$OUT/summary.err" || say "summary failed"
cat "$OUT/summary.txt" >&2
say "done in $((SECONDS - START)) s; results in $OUT"
