#!/usr/bin/env bash
# Crash test of checkpointing (issue #15): kills a child JVM with SIGKILL at random points while it
# trains a small model and checkpoints every step (half of the kills inside a checkpoint write), and
# checks after every kill that the newest checkpoint reads (CRC32C verified) and that the next child
# resumes from its step. Prints a summary; exits non-zero if any kill left an unreadable newest
# checkpoint or a run that did not resume.
#   scripts/kill-checkpoints.sh                 # 200 kills
#   scripts/kill-checkpoints.sh --kills 500 --out /tmp/kills
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cpu_env.sh
JAR="${JAR:-examples/target/selfsup4j-examples.jar}"   # JAR=<copy> runs a copy while the build rewrites the jar
if [ ! -f "$JAR" ] || [ -n "${REBUILD:-}" ]; then
  mvn -B -ntp -q -pl examples -am package -DskipTests
fi
exec java -Xmx512m --add-modules jdk.incubator.vector \
  -Dorg.bytedeco.javacpp.cachedir="${JAVACPP_CACHE:-$HOME/.javacpp/cache}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$JAR" org.selfsup4j.examples.CheckpointKillLoop "$@"
