#!/usr/bin/env bash
# Side-by-side SimCLR training-step figures, Java (selfsup4j native blocks, and SameDiff for the tiny
# encoder) against PyTorch 1.13 on the same machine: same shapes, 2 threads, float32, both views in one
# forward, NT-Xent (tau 0.5), Adam (lr 1e-3).
#   (a) tiny encoder, 64 28x28 images per view       (b) half-width ResNet-18, 256 32x32x3 per view
# Prints the RESULT lines (wall min / median ms, process CPU ms per step, peak RSS MiB), the Java phase
# breakdowns, and the load average before and after. Figures go to benchmarks/PERF.md.
#
# Usage: benchmarks/scripts/perf_compare.sh [tiny-steps] [resnet-steps]     (from the repository root;
#        build first: mvn -B -o -q -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
TINY_STEPS=${1:-100}
RESNET_STEPS=${2:-5}
JAR=benchmarks/target/benchmarks.jar
source scripts/cpu_env.sh
export OMP_NUM_THREADS=2
JAVA_OPTS=(-Xmx2g --add-modules jdk.incubator.vector -Dorg.bytedeco.javacpp.maxbytes=14g -Dorg.bytedeco.javacpp.maxphysicalbytes=16g)
filter() { grep -v -E '^\[main\] INFO|^Added differentiated|GCC:|STD version|DEFAULT_ENGINE|HAVE_' || true; }

echo "load before: $(cat /proc/loadavg)"
echo "== (a) tiny encoder"
java "${JAVA_OPTS[@]}" -cp "$JAR" org.selfsup4j.benchmarks.StepProfile tiny-native "$TINY_STEPS" 30 50 2>&1 | filter
java "${JAVA_OPTS[@]}" -cp "$JAR" org.selfsup4j.benchmarks.StepProfile tiny-samediff "$((TINY_STEPS / 2))" 10 20 2>&1 | filter
benchmarks/scripts/torch_env.sh benchmarks/scripts/step_torch.py --steps "$TINY_STEPS" --warmup 30
echo "== (b) half-width ResNet-18, 256 per view"
java "${JAVA_OPTS[@]}" -cp "$JAR" org.selfsup4j.benchmarks.StepProfile resnet-native "$RESNET_STEPS" 2 2 2>&1 | filter
benchmarks/scripts/torch_env.sh benchmarks/scripts/step_resnet_torch.py --steps "$RESNET_STEPS" --warmup 2
echo "load after: $(cat /proc/loadavg)"
