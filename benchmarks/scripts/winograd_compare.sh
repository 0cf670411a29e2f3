#!/usr/bin/env bash
# Direct against Winograd F(2x2, 3x3) convolutions (-Dselfsup4j.conv=direct / auto): the 3x3 stride-1
# layers of ResNet-18/2 on their own (ConvAlgorithmBench, both algorithms alternated in one process),
# then the whole SimCLR step (StepProfile resnet-native, one process per algorithm, alternated PAIRS
# times), then PyTorch 1.13's step once. Prints the load average with every figure: on a shared
# machine read the fastest run of each and the ratios, not single figures.
#
# Usage: benchmarks/scripts/winograd_compare.sh [batch-per-view=256] [pairs=2] [steps=4] [warmup=2]
#        (from the repository root; build first: mvn -B -o -q -pl benchmarks -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/../.."
BATCH=${1:-256}
PAIRS=${2:-2}
STEPS=${3:-4}
WARMUP=${4:-2}
JAR=benchmarks/target/benchmarks.jar
source scripts/cpu_env.sh
export OMP_NUM_THREADS=2
JAVA_OPTS=(-Xmx3g --add-modules jdk.incubator.vector -Dorg.bytedeco.javacpp.maxphysicalbytes=16g)
filter() { grep -E '^RESULT|^load|->|loss' || true; }

echo "== per layer, batch $((2 * BATCH)), load $(cat /proc/loadavg)"
java "${JAVA_OPTS[@]}" -cp "$JAR" org.selfsup4j.benchmarks.ConvAlgorithmBench "$((2 * BATCH))" 3 1 2>&1 | filter
for p in $(seq "$PAIRS"); do
  for algo in direct auto; do
    echo "== step, selfsup4j.conv=$algo, $BATCH per view, load $(cat /proc/loadavg)"
    java "${JAVA_OPTS[@]}" -Dselfsup4j.conv="$algo" -cp "$JAR" org.selfsup4j.benchmarks.StepProfile resnet-native \
        "$STEPS" "$WARMUP" 0 "$BATCH" 2>&1 | filter
  done
done
if python3 -c 'import torch' 2>/dev/null; then
  echo "== PyTorch step, $BATCH per view, load $(cat /proc/loadavg)"
  benchmarks/scripts/torch_env.sh benchmarks/scripts/step_resnet_torch.py --batch "$BATCH" --steps "$STEPS" --warmup "$WARMUP"
fi
echo "load after: $(cat /proc/loadavg)"
