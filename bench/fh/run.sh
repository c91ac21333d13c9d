#!/usr/bin/env bash
# FH benchmark: Java vs scikit-image 0.19, one thread each, same PNG files, labels compared pixel by pixel.
#  1. photos (default): real photos at every common size (bench/fh/photos.py: Debian's mate-backgrounds nature
#     photos and a lomiri-wallpapers photo, resized to 0.1 ... 5 MP, plus the mate photos at their own size, JPEG
#     artefacts and all); per size, both sides as whole processes over the folder (`detcon masks fh --threads 1`
#     vs skimage_folder.py: decode, FH, 16-bit PNG out), their process CPU time (user+sys, /usr/bin/time, interpreter
#     or JVM start-up and JIT included), the FH call alone per image (thread CPU after a warm-up for Java,
#     time.process_time for Python), and whether every label map is identical;
#  2. synthetic photo-like images at 224/640 px with per-phase times (FhBench compare, as before);
#  3. one 4000x3000 image in -Xmx1g (the fast path's memory).
# See bench/fh/README.md. Outputs in bench/fh/target/run (ignored by git).
# Usage (from the repo root): bash bench/fh/run.sh [--quick] [--no-synthetic] [--no-photos] [--no-big] [--repeat N]
#                [--sizes "0.1mp 0.3mp ..."] [--skimage-from DIR] [--no-build]
#   --quick        one repetition, sizes 0.1/0.3/1/2 MP only
#   --repeat N     whole-process repetitions (default 2; the minimum is reported; scikit-image runs once above 1 MP)
#   --sizes LIST   the photo sizes to run (default: all)
#   --skimage-from DIR  reuse scikit-image's results of an earlier run (DIR/py-SIZE.time, .log and label folder,
#                  e.g. a copy of bench/fh/target/run) where DIR has them: its run is deterministic and single-threaded
#   --no-build     use the jars and classpath of the last build (bench/fh/target/cp.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
REPEAT=2; PYREPEAT=2; BIG=1; SYNTH=1; PHOTOS=1; SIZES="0.1mp 0.3mp 0.5mp 1mp 2mp 3mp 5mp native"; QUICK=0
PYFROM=""; BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) REPEAT=1; PYREPEAT=1; QUICK=1; SIZES="0.1mp 0.3mp 1mp 2mp" ;;
    --no-synthetic) SYNTH=0 ;;
    --no-photos) PHOTOS=0 ;;
    --no-big) BIG=0 ;;
    --repeat) REPEAT="$2"; PYREPEAT="$2"; shift ;;
    --sizes) SIZES="$2"; shift ;;
    --skimage-from) PYFROM="$2"; shift ;;
    --no-build) BUILD=0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
OUT=bench/fh/target/run
rm -rf "$OUT"; mkdir -p "$OUT"
RESULTS="$OUT/results.txt"

if [[ $BUILD == 1 || ! -f bench/fh/target/cp.txt ]]; then
  echo "== building (mvn -pl bench,orchestration -am package -DskipTests)"
  # one reactor session, so the detcon modules resolve to the freshly built jars (never to ~/.m2 snapshots);
  # every module writes cp.txt, bench (last in the reactor) wins
  mvn -q -pl bench,orchestration -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$PWD/bench/fh/target/cp.txt"
fi
CP="bench/target/classes:$(cat bench/fh/target/cp.txt)"
# the launcher, as a user runs it (for `masks fh`: serial GC and a class-data-sharing archive, made on its first
# run after a build; that first run is done here, untimed, on one image)
DETCON=./detcon
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average:" \
  "$(cut -d' ' -f1-3 /proc/loadavg) (other work shares it: compare CPU times, not wall)" | tee "$RESULTS"

if [[ $PHOTOS == 1 ]]; then
  PHOTO_SRC="${PHOTO_SRC:-bench/fh/target/debs/root}"
  if [[ ! -d "$PHOTO_SRC/usr/share/backgrounds/mate/nature" ]]; then
    echo "== fetching Debian's mate-backgrounds and lomiri-wallpapers-20.04 (apt-get download, unpacked, not installed)"
    mkdir -p bench/fh/target/debs
    (cd bench/fh/target/debs && apt-get download mate-backgrounds lomiri-wallpapers-20.04 >/dev/null 2>&1) \
      || { echo "apt-get download failed: install the packages or set PHOTO_SRC to a root holding usr/share/backgrounds" >&2; exit 2; }
    for d in bench/fh/target/debs/*.deb; do dpkg-deb -x "$d" "$PHOTO_SRC"; done
  fi
  echo "== photo sets (bench/fh/photos.py)"
  PHOTO_DIR=bench/fh/target/photos
  [[ -d "$PHOTO_DIR/native" ]] || $PY bench/fh/photos.py "$PHOTO_SRC" "$PHOTO_DIR" | tee -a "$RESULTS"
  cpu_of() { awk '{ printf "%.2f", $1 + $2 }' "$1"; }
  # a glob, not `ls | head -1`: with 104 names ls writes twice, and when head has already gone the second write's
  # SIGPIPE ended the whole script under pipefail, silently
  first=("$PHOTO_DIR/0.1mp"/*.png); one="${first[0]}"
  $DETCON masks fh --scale 1000 "$one" "$OUT/first-run.png" >/dev/null # makes the launcher's archive, untimed
  for SIZE in $SIZES; do
    IN="$PHOTO_DIR/$SIZE"
    echo "== $SIZE: $(ls "$IN" | wc -l) photos"
    best_py=""; best_java=""
    # scikit-image's CPU time is steady for a deterministic single-threaded process: above 1 MP it runs once
    PYR="$PYREPEAT"; [[ "$SIZE" =~ ^(0\.[0-9]+mp)$ ]] || PYR=1
    for r in $(seq 1 "$PYR"); do
      if [[ -n "$PYFROM" && -s "$PYFROM/py-$SIZE.time" ]]; then
        cp "$PYFROM/py-$SIZE.time" "$PYFROM/py-$SIZE.log" "$OUT/"; rm -rf "$OUT/py-$SIZE"; cp -r "$PYFROM/py-$SIZE" "$OUT/"
      else
        /usr/bin/time -f "%U %S" -o "$OUT/py-$SIZE.time" $PY bench/fh/skimage_folder.py "$IN" "$OUT/py-$SIZE" 1000 \
          >"$OUT/py-$SIZE.log"
      fi
      c="$(cpu_of "$OUT/py-$SIZE.time")"; best_py="$(printf '%s\n%s\n' "$c" "$best_py" | grep . | sort -g | head -1)"
    done
    for r in $(seq 1 "$REPEAT"); do
      /usr/bin/time -f "%U %S" -o "$OUT/java-$SIZE.time" $DETCON masks fh --threads 1 --scale 1000 "$IN" \
        "$OUT/java-$SIZE" >"$OUT/java-$SIZE.log"
      c="$(cpu_of "$OUT/java-$SIZE.time")"; best_java="$(printf '%s\n%s\n' "$c" "$best_java" | grep . | sort -g | head -1)"
    done
    same="$($PY bench/fh/same_labels.py "$OUT/java-$SIZE" "$OUT/py-$SIZE" || true)"
    java -Xmx3g -cp "$CP" org.detcon.bench.fh.FhBench folder "$IN" 1000 "$([[ $QUICK == 1 ]] && echo 1 || echo 2)" \
      >"$OUT/fh-$SIZE.log"
    mp="$(sed -n 's/.* mp=\([0-9.]*\).*/\1/p' "$OUT/fh-$SIZE.log")"
    jfh="$(sed -n 's/^SUMMARY .*fh_cpu_ms=\([0-9.]*\).*/\1/p' "$OUT/fh-$SIZE.log")"
    pfh="$(sed -n 's/^SUMMARY .*fh_cpu_ms=\([0-9.]*\).*/\1/p' "$OUT/py-$SIZE.log")"
    n="$(ls "$IN" | wc -l)"
    echo "RESULT size=$SIZE images=$n mp=$mp py_process_cpu_s=$best_py java_process_cpu_s=$best_java" \
      "py_fh_cpu_ms=$pfh java_fh_cpu_ms=$jfh labels=\"$same\"" | tee -a "$RESULTS"
  done
  echo "== three scales of one image: separate FH calls vs one segmentAll (shared blur, buckets and sort)"
  java -Xmx3g -cp "$CP" org.detcon.bench.fh.FhBench scales "$PHOTO_DIR/0.3mp" 500,1000,1500 | tee -a "$RESULTS"
  $PY - "$RESULTS" <<'EOF' | tee "$OUT/summary.txt"
import re, sys
rows = [dict(re.findall(r'(\w+)=("[^"]*"|\S+)', l)) for l in open(sys.argv[1]) if l.startswith('RESULT size=')]
print('%-7s %6s %6s | %9s %9s %6s | %11s %11s %6s | %s' % ('size', 'photos', 'MP', 'skimage', 'Java', 'ratio',
      'skimage FH', 'Java FH', 'ratio', 'labels identical'))
print('%-7s %6s %6s | %9s %9s %6s | %11s %11s %6s |' % ('', '', '', 'process', 'process', '', 'ms/MP', 'ms/MP', ''))
print('%-7s %6s %6s | %9s %9s %6s | %11s %11s %6s |' % ('', '', '', 'CPU s', 'CPU s', '', '(CPU)', '(CPU)', ''))
for r in rows:
    mp = float(r['mp']); py, ja = float(r['py_process_cpu_s']), float(r['java_process_cpu_s'])
    pf, jf = float(r['py_fh_cpu_ms']), float(r['java_fh_cpu_ms'])
    print('%-7s %6s %6.1f | %9.1f %9.1f %5.1fx | %11.0f %11.0f %5.1fx | %s' % (r['size'], r['images'], mp, py, ja,
          py / ja, pf / mp, jf / mp, pf / jf, r['labels'].strip('"')))
EOF
fi

if [[ $SYNTH == 1 ]]; then
  echo "== synthetic photo-like images: skimage reference timings ($PY)"
  mkdir -p "$OUT/synth"
  $PY bench/fh/skimage_fh.py "$OUT/synth" --repeat "$PYREPEAT"
  echo "== synthetic: Java timings"
  java -Xmx2g -cp "$CP" org.detcon.bench.fh.FhBench compare "$OUT/synth" "$((REPEAT * 3))" | tee -a "$RESULTS"
fi

if [[ $BIG == 1 ]]; then
  echo "== 4000x3000 RGB in -Xmx1g"
  java -Xmx1g -cp "$CP" org.detcon.bench.fh.FhBench big 4000 3000 1000 | tee -a "$RESULTS"
fi
