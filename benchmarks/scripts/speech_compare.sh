#!/usr/bin/env bash
# One wav2vec 2.0 / HuBERT training step of the small speech model (issue #17 item 4), Java
# (StepProfile wav2vec2-small / hubert-small: the Trainer's whole step, then its phase breakdown)
# and PyTorch 1.13 (speech_step_torch.py, the same architecture), alternating, ROUNDS rounds (default
# 3), THREADS (default "2 1"), batch 8 x 4,000 samples (the speech CLI's defaults at 8 kHz), STEPS
# timed steps after WARMUP. Raw output: $OUT (default benchmarks/target/results/speech-compare.txt).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-benchmarks/target/results/speech-compare.txt}
rounds=${ROUNDS:-3}
steps=${STEPS:-10}
warmup=${WARMUP:-5}
source benchmarks/scripts/compare_setup.sh
compare_setup "$out" ssl-core ssl-speech ssl-losses benchmarks/src
for round in $(seq 1 "$rounds"); do
    for threads in ${THREADS:-2 1}; do
        for method in wav2vec2 hubert; do
            echo "== round $round, $threads thread(s), $method, Java" | tee -a "$out"
            OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads java -Xmx3g --add-modules jdk.incubator.vector -Dselfsup4j.threads="$threads" \
                -cp benchmarks/target/benchmarks.jar org.selfsup4j.benchmarks.StepProfile "$method-small" \
                "$steps" "$warmup" "$warmup" 2>&1 | grep -E "^(case|RESULT|phase|  )" | tee -a "$out"
            echo "== round $round, $threads thread(s), $method, PyTorch" | tee -a "$out"
            OPENBLAS_NUM_THREADS=$threads benchmarks/scripts/torch_env.sh benchmarks/scripts/speech_step_torch.py --method "$method" \
                --threads "$threads" --steps "$steps" --warmup "$warmup" | tee -a "$out"
        done
    done
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
done
