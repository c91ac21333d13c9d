#!/usr/bin/env bash
# Java writes a shard dataset and label-map PNGs; Python reads them back.
#   bash tools/interop/run_interop.sh [OUT_DIR]
# Needs: mvn (offline is fine once dependencies are cached), python3 (stdlib) and a python with numpy + PIL
# for the label-map check (PYTHON_PIL, default /usr/bin/python3). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out="${1:-$(mktemp -d)}"
rm -rf "$out/dataset" "$out/labelmaps"
mvn -B -q -ntp -pl core test -Dtest=ShardInteropExportTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Ddetcon.interop.dir="$out"
python3 tools/interop/check_shards.py "$out/dataset"
py_pil="${PYTHON_PIL:-/usr/bin/python3}"
if ! "$py_pil" -c 'import numpy, PIL' 2>/dev/null; then
    echo "FAIL: $py_pil has no numpy/PIL; set PYTHON_PIL to a python that has them" >&2
    exit 1
fi
"$py_pil" tools/interop/check_labelmap_pngs.py "$out/labelmaps"
