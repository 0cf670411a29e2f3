#!/usr/bin/env bash
# Side-by-side timings of the loss kernels (forward + backward, float32): each JMH case of
# LossKernelBenchmark and the same computation under PyTorch autograd (losses_torch.py), run back to
# back, case by case, REPEATS times. The table shows each side's minimum (JMH: fastest measurement
# iteration, each iteration an average over >= 1 s; PyTorch: fastest timed call) and the ratio
# PyTorch / Java (> 1: Java is faster). Minimums because the machines these were written on run other
# jobs; on a quiet machine medians tell the same story.
#
# Build first: mvn -B -o -q -pl benchmarks -am package -DskipTests
# Usage: benchmarks/scripts/losses_compare.sh [case regex, e.g. 'ntXent|byol'] [out dir]
# Env: REPEATS (3), JMH_ARGS (-f 1 -wi 3 -i 5 -w 1 -r 1), JAR (benchmarks/target/benchmarks.jar).
set -euo pipefail
cd "$(dirname "$0")/../.."
FILTER=${1:-.}
OUT=${2:-benchmarks/target/losses}
REPEATS=${REPEATS:-3}
JMH_ARGS=${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1 -r 1}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
source scripts/cpu_env.sh
# name | JMH parameters | PyTorch case filter (regex on "name params")
CASES=(
  "ntXent|-p n=256 -p d=128|^ntXent n=256 d=128$"
  "ntXent|-p n=256 -p d=256|^ntXent n=256 d=256$"
  "ntXent|-p n=1024 -p d=128|^ntXent n=1024 d=128$"
  "ntXent|-p n=1024 -p d=256|^ntXent n=1024 d=256$"
  "ntXent|-p n=4096 -p d=128|^ntXent n=4096 d=128$"
  "ntXent|-p n=4096 -p d=256|^ntXent n=4096 d=256$"
  "infoNce||^infoNce "
  "infoNceQueue||^infoNceQueue "
  "byol|-p n=256|^byol n=256 "
  "byol|-p n=4096|^byol n=4096 "
  "vicReg|-p n=256 -p d=2048|^vicReg n=256 d=2048$"
  "vicReg|-p n=256 -p d=8192|^vicReg n=256 d=8192$"
  "vicReg|-p n=1024 -p d=2048|^vicReg n=1024 d=2048$"
  "vicReg|-p n=1024 -p d=8192|^vicReg n=1024 d=8192$"
  "barlowTwins||^barlowTwins "
  "wav2vec2Contrastive||^wav2vec2Contrastive "
  "simSiam||^simSiam "
  "mocoV3||^mocoV3 "
  "dino||^dino "
  "swav||^swav "
  "mae||^mae "
)
mkdir -p "$OUT"
rm -f "$OUT"/java.tsv "$OUT"/torch.tsv
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg) repeats: $REPEATS" | tee "$OUT/summary.txt"
for r in $(seq 1 "$REPEATS"); do
  i=0
  for c in "${CASES[@]}"; do
    IFS='|' read -r name params tfilter <<< "$c"
    i=$((i + 1))
    [[ "$name $params" =~ $FILTER ]] || continue
    # shellcheck disable=SC2086
    java -jar "$JAR" "LossKernelBenchmark\.$name\$" $params $JMH_ARGS -rf json -rff "$OUT/jmh.json" \
      > "$OUT/jmh.log" 2>&1
    /usr/bin/python3 -c '
import json, sys
for b in json.load(open(sys.argv[1])):
    it = [x for run in b["primaryMetric"]["rawData"] for x in run]
    print(sys.argv[2], min(it), sep="\t")' "$OUT/jmh.json" "$i" >> "$OUT/java.tsv"
    TORCH_FILTER=$tfilter benchmarks/scripts/torch_env.sh benchmarks/scripts/losses_torch.py \
      | sed "s/^/$i\t/" >> "$OUT/torch.tsv"
  done
  echo "# repeat $r done, load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
done
/usr/bin/python3 - "$OUT" <<'PY' | tee -a "$OUT/summary.txt"
import sys
out = sys.argv[1]
java, torch, label = {}, {}, {}
for line in open(f"{out}/java.tsv"):
    i, ms = line.split("\t")
    java[int(i)] = min(java.get(int(i), float("inf")), float(ms))
for line in open(f"{out}/torch.tsv"):
    i, name, params, ms = line.rstrip("\n").split("\t")
    torch[int(i)] = min(torch.get(int(i), float("inf")), float(ms))
    label[int(i)] = (name, params)
print("| kernel | shape | Java ms | PyTorch ms | PyTorch / Java |")
print("| --- | --- | ---: | ---: | ---: |")
for i in sorted(java):
    name, params = label.get(i, ("?", "?"))
    t = torch.get(i, float("nan"))
    print(f"| {name} | {params} | {java[i]:.2f} | {t:.2f} | {t / java[i]:.2f} |")
PY
