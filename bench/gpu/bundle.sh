#!/usr/bin/env bash
# Makes the bundle a GPU host runs the check from (bench/gpu/README.md):
#   bash bench/gpu/bundle.sh OUT_DIR [DJL_SRC]
# OUT_DIR/detcon-gpucheck/ and OUT_DIR/detcon-gpucheck.tar.gz: a jlinked Java 17 runtime (with its JNI headers),
# the trainer + bench jars and only the runtime jars the trainer's training path and StepBench need (no Beam,
# Flink, AWS SDK, DJL CPU natives), DJL v0.36.0's PyTorch JNI sources with the JNI header generated here, the
# PyTorch reference script, generated shapes shards at 224 px, the CPU JNI of pytorch-jni (for check.sh --cpu),
# and check.sh.
# DJL_SRC: a DJL v0.36.0 source tree (at least engines/pytorch and api/src/main/native); default $DJL_SRC, else
# one exported from the DJL mirror in $DJL_MIRROR (a git directory; git archive v0.36.0). Never committed.
# REF: the reference script (default /work/shared/bench/pytorch_detcon_reference.py, or ../shared/... from the repo).
# SHAPES_COUNT (256) images of the generated shapes dataset at SHAPES_SIZE (160) px go into data/shapes (their PNGs
# are nearly incompressible: 256 at 160 px keep the bundle under 60 MB; the trainer crops and resizes them to 224).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bash bench/gpu/bundle.sh OUT_DIR [DJL_SRC]" >&2; exit 2; }
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$1"
OUT="$(cd "$1" && pwd)"
B="$OUT/detcon-gpucheck"
DJL_SRC="${2:-${DJL_SRC:-}}"
DJL_MIRROR="${DJL_MIRROR:-/work/.mirror/deepjavalibrary+djl/repo}"
REF="${REF:-}"
for r in "$REF" /work/shared/bench/pytorch_detcon_reference.py "$REPO/../shared/bench/pytorch_detcon_reference.py"; do
  if [ -n "$r" ] && [ -f "$r" ]; then REF="$r"; break; fi
done
[ -f "$REF" ] || { echo "bundle: the reference script was not found; set REF=.../pytorch_detcon_reference.py" >&2; exit 2; }
SHAPES_COUNT="${SHAPES_COUNT:-256}"
SHAPES_SIZE="${SHAPES_SIZE:-160}"
t0=$SECONDS
log() { echo "bundle: [$((SECONDS - t0)) s] $*" >&2; }

rm -rf "$B" "$OUT/detcon-gpucheck.tar.gz"
mkdir -p "$B/lib" "$B/djl" "$B/data" "$B/jni/cpu-2.7.1"

# --- DJL sources (engines/pytorch + api/src/main/native, v0.36.0) ---
if [ -z "$DJL_SRC" ]; then
  [ -d "$DJL_MIRROR" ] || { echo "bundle: give DJL_SRC (a DJL v0.36.0 checkout) or DJL_MIRROR (its git dir)" >&2; exit 2; }
  DJL_SRC="$OUT/djl-v0.36.0-src"
  rm -rf "$DJL_SRC" && mkdir -p "$DJL_SRC"
  git --git-dir="$DJL_MIRROR" archive v0.36.0 engines/pytorch/pytorch-native engines/pytorch/pytorch-engine/src/main/java \
      api/src/main/native | tar -x -C "$DJL_SRC"
  log "DJL v0.36.0 sources exported from $DJL_MIRROR to $DJL_SRC"
fi
NATIVE="$DJL_SRC/engines/pytorch/pytorch-native"
[ -f "$NATIVE/CMakeLists.txt" ] && [ -d "$DJL_SRC/api/src/main/native/djl" ] \
  || { echo "bundle: $DJL_SRC is not a DJL source tree (no engines/pytorch/pytorch-native/CMakeLists.txt)" >&2; exit 2; }
mkdir -p "$B/djl/engines/pytorch/pytorch-native" "$B/djl/api/src/main"
cp -r "$NATIVE/CMakeLists.txt" "$NATIVE/build.sh" "$NATIVE/src" "$B/djl/engines/pytorch/pytorch-native/"
rm -rf "$B/djl/engines/pytorch/pytorch-native/src/main/java"
cp -r "$DJL_SRC/api/src/main/native" "$B/djl/api/src/main/"

# --- jars: the reactor's bench, trainer, core and the runtime jars the training path needs ---
cd "$REPO"
log "building (mvn -pl bench -am package -DskipTests)"
mvn -B -ntp -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$REPO/bench/target/cp-runtime.txt" >&2
cp core/target/detcon-core-*.jar trainer/target/detcon-trainer-*.jar bench/target/detcon-bench-*.jar "$B/lib/"
rm -f "$B"/lib/*-tests.jar "$B"/lib/*-sources.jar
# What the trainer's training path (TrainingRun on local shards) and StepBench load; checked by check.sh --cpu.
KEEP='/(jackson-core|jackson-databind|jackson-annotations|jackson-dataformat-yaml|snakeyaml|commons-compress|commons-io|commons-codec|commons-lang3|imageio-core|imageio-jpeg|imageio-metadata|common-lang|common-io|common-image|api|pytorch-engine|gson|jna|slf4j-api|slf4j-simple)-[0-9][^/]*\.jar$'
tr ':' '\n' < bench/target/cp-runtime.txt | grep -E "$KEEP" | grep -v '/tools/jackson/' | grep -v '/org/detcon/' \
  | while read -r j; do cp "$j" "$B/lib/"; done
PTJNI="$(tr ':' '\n' < bench/target/cp-runtime.txt | grep '/pytorch-jni-' | head -1)"
(cd "$B/jni/cpu-2.7.1" && unzip -q -j "$PTJNI" jnilib/linux-x86_64/cpu/libdjl_torch.so)
API_JAR="$(ls "$B"/lib/api-0.36.0.jar)"

# --- the JNI header DJL's build makes with javac -h (the GPU host has no javac) ---
HDR="$B/djl/engines/pytorch/pytorch-native/build/include"
mkdir -p "$HDR" "$OUT/javac-h"
javac -h "$HDR" -d "$OUT/javac-h" -cp "$API_JAR" -sourcepath "$DJL_SRC/engines/pytorch/pytorch-engine/src/main/java" \
  "$DJL_SRC/engines/pytorch/pytorch-engine/src/main/java/ai/djl/pytorch/jni/PyTorchLibrary.java"
rm -rf "$OUT/javac-h"
ls "$HDR"/ai_djl_pytorch_jni_PyTorchLibrary.h >/dev/null

# --- jlinked runtime: the modules jdeps finds in the kept jars, plus what reflection/service loading needs ---
CP="$(ls "$B"/lib/*.jar | tr '\n' ':')"
MODS="$(jdeps -q --multi-release 17 --ignore-missing-deps --print-module-deps --class-path "$CP" "$B"/lib/*.jar)"
# jdk.unsupported: sun.misc.Unsafe (DJL, JNA); jdk.management: ProcessMemory. --compress=0: the tar.gz compresses
# the uncompressed module image better (26 MB) than jlink's own zip (32 MB).
MODS="$MODS,jdk.unsupported,jdk.management"
log "jlink modules: $MODS"
jlink --add-modules "$MODS" --strip-debug --no-man-pages --compress=0 --output "$B/jre"
[ -f "$B/jre/include/jni.h" ] || { echo "bundle: the jlinked runtime has no include/jni.h" >&2; exit 1; }

# --- data: the project's own generator, shapes at 224 px ---
log "generating $SHAPES_COUNT shapes images at $SHAPES_SIZE px"
"$B/jre/bin/java" -cp "$B/lib/*" org.detcon.bench.gpu.Train shapes "$B/data/shapes" count="$SHAPES_COUNT" \
  size="$SHAPES_SIZE" per_shard=128 >&2

# --- scripts ---
cp "$REF" "$B/pytorch_detcon_reference.py"
cp bench/gpu/check.sh bench/gpu/summarize.py bench/gpu/detcon_b-r50-224-shapes.yaml bench/gpu/README.md "$B/"
git -C "$REPO" rev-parse HEAD > "$B/COMMIT" 2>/dev/null || true

tar -C "$OUT" -czf "$OUT/detcon-gpucheck.tar.gz" detcon-gpucheck
log "bundle $OUT/detcon-gpucheck.tar.gz: $(du -m "$OUT/detcon-gpucheck.tar.gz" | cut -f1) MB compressed" \
    "($(stat -c %s "$OUT/detcon-gpucheck.tar.gz") bytes), $(du -sm "$B" | cut -f1) MB unpacked"
du -sm "$B"/* | sort -rn >&2
