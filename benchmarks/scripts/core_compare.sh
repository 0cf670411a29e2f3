#!/usr/bin/env bash
# Side-by-side figures for the core benchmarks (optimizer step over 10M parameters, SimCLR step of
# the tiny conv encoder, cost of an external gradient through SameDiff), Java (JMH) then PyTorch,
# in one run on the same machine. Output: benchmarks/target/results/core-*.txt
set -euo pipefail
cd "$(dirname "$0")/../.."
out=benchmarks/target/results
mkdir -p "$out"
source scripts/cpu_env.sh
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -ntp -q -pl benchmarks -am package -DskipTests
jmh="java -jar benchmarks/target/benchmarks.jar -f 1 -wi 3 -i 5 -w 2 -r 2 -tu ms"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/core-load.txt"
$jmh OptimizerStepBenchmark 2>&1 | tee "$out/core-optimizer-java.txt" | grep -E "^Benchmark|OptimizerStep"
$jmh TrainingStepBenchmark 2>&1 | tee "$out/core-step-java.txt" | grep -E "^Benchmark|TrainingStep"
$jmh ExternalGradientBenchmark 2>&1 | tee "$out/core-extgrad-java.txt" | grep -E "^Benchmark|ExternalGradient"
benchmarks/scripts/torch_env.sh benchmarks/scripts/optimizer_torch.py | tee "$out/core-optimizer-torch.txt"
benchmarks/scripts/torch_env.sh benchmarks/scripts/step_torch.py | tee "$out/core-step-torch.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/core-load.txt"
