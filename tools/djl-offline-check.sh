#!/usr/bin/env bash
# Proves the trainer's PyTorch engine needs no network: with an empty DJL cache, inside a network namespace with
# no interfaces (unshare -rn), DJL must extract libtorch from the pytorch-native-cpu jar and the JNI library from
# pytorch-jni, and TorchTest must pass. Run from the repository root; needs util-linux `unshare` and user
# namespaces. Takes ~10 s (extracts ~450 MB into a temporary cache).
set -euo pipefail
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
DJL_CACHE_DIR="$cache" unshare -rn mvn -q -o -pl trainer -am test -Dtest=TorchTest \
  -Dsurefire.failIfNoSpecifiedTests=false
test -f "$cache"/pytorch/*/libtorch_cpu.so
test ! -e "$cache"/pytorch/2.7.1.txt   # the download index DJL writes before any download
echo "offline OK: natives extracted from the classpath jars into $cache, no network available"
