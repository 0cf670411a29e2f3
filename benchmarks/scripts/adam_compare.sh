#!/usr/bin/env bash
# Adam / AdamW step side by side (issue #17 item 3): Java (OptimizerStepBenchmark, JMH sample mode:
# the fastest and the median single step) and PyTorch 1.13 (optimizer_torch.py: the median and the
# fastest step, default and foreach implementations), alternating, ROUNDS rounds (default 3), with 1
# and 2 threads, both parameter layouts (10x1M, resnet18). Raw output: $OUT (default
# benchmarks/target/results/adam-compare.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-benchmarks/target/results/adam-compare.txt}
rounds=${ROUNDS:-3}
source benchmarks/scripts/compare_setup.sh
compare_setup "$out" ssl-core benchmarks/src
for round in $(seq 1 "$rounds"); do
    for threads in 1 2; do
        echo "== round $round, $threads thread(s), Java" | tee -a "$out"
        java -jar benchmarks/target/benchmarks.jar OptimizerStepBenchmark -p optimizer=adam,adamw \
            -p layout=10x1M,resnet18 -f 1 -wi 3 -w 1 -i 3 -r 1 -bm sample -tu ms \
            -jvmArgsAppend "-Dselfsup4j.threads=$threads" 2>&1 | grep -E "^OptimizerStepBenchmark.*p0\.(00|50)" | tee -a "$out"
        echo "== round $round, $threads thread(s), PyTorch" | tee -a "$out"
        for layout in 10x1M resnet18; do
            OPENBLAS_NUM_THREADS=$threads benchmarks/scripts/torch_env.sh benchmarks/scripts/optimizer_torch.py \
                --layout "$layout" --threads "$threads" --only adam,adam-foreach,adamw,adamw-foreach | tee -a "$out"
        done
    done
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
done
