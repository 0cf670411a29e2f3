#!/usr/bin/env bash
# Runs the Java augmentation benchmark and the torchvision 0.14 side on the same images, one after
# the other, and prints both. Build first: mvn -B -pl benchmarks -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
DATASETS=${SELFSUP4J_DATASETS:-/work/shared/datasets}
OUT=${1:-benchmarks/target/augment}
mkdir -p "$OUT"
java -Dselfsup4j.datasets="$DATASETS" -jar benchmarks/target/benchmarks.jar AugmentThroughput \
  -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.txt"
MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 /usr/bin/python3 benchmarks/scripts/augment_torchvision.py \
  --root "$DATASETS/cifar10-subset/train" --epochs 3 | tee "$OUT/torchvision.txt"
