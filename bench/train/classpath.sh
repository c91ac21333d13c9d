# Sourced by the bench/train scripts: compiles the bench module and its reactor dependencies, then sets CP to
# their classes plus the resolved third-party jars (never the org.detcon jars a local repository may hold).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
mvn -q -o -pl bench -am compile >&2
# each module's own resolution (a stale org.detcon POM in the local repository must not decide trainer's jars)
# test-compile: eval-jobs has a test-scoped dependency on the trainer test-jar, which the reactor resolves to its
# test classes only once they are compiled
mvn -q -o -pl core,trainer,beam-segmentation,eval-jobs,bench test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/train-cp.txt -Dmdep.includeScope=runtime >&2
THIRD_PARTY="$(cat "$ROOT"/{core,trainer,beam-segmentation,eval-jobs,bench}/target/train-cp.txt | tr ':' '\n' \
  | grep -v '/org/detcon/' | awk 'NF && !seen[$0]++' | paste -sd: -)"
CP="$ROOT/bench/target/classes:$ROOT/trainer/target/classes:$ROOT/core/target/classes"
CP="$CP:$ROOT/beam-segmentation/target/classes:$ROOT/eval-jobs/target/classes:$THIRD_PARTY"
export CP
# DJL offline, no telemetry probe (see trainer/README.md)
JAVA_FLAGS=(-Dai.djl.offline=true -DOPT_OUT_TRACKING=true -Dai.djl.default_engine=PyTorch
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
