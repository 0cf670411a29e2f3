#!/usr/bin/env bash
# Side-by-side timings of the loss kernels (forward + backward, float32): the JMH cases of
# LossKernelBenchmark and the same computations under PyTorch autograd (losses_torch.py), run back to
# back REPEATS times (default 3, alternating Java and PyTorch); the table shows each side's minimum
# over the repeats (JMH: mean of its measurement iterations; PyTorch: median of its timed calls) and
# the ratio PyTorch / Java (> 1: Java is faster).
#
# Build first: mvn -B -o -q -pl benchmarks -am package -DskipTests
# Usage: benchmarks/scripts/losses_compare.sh [JMH regex, default LossKernelBenchmark] [out dir]
# Env: REPEATS (3), JMH_ARGS (-f 1 -wi 3 -i 5 -w 1 -r 1), TORCH_FILTER (python regex on "name params").
set -euo pipefail
cd "$(dirname "$0")/../.."
PATTERN=${1:-LossKernelBenchmark}
OUT=${2:-benchmarks/target/losses}
REPEATS=${REPEATS:-3}
JMH_ARGS=${JMH_ARGS:--f 1 -wi 3 -i 5 -w 1 -r 1}
export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
mkdir -p "$OUT"
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg) repeats: $REPEATS" | tee "$OUT/summary.txt"
for r in $(seq 1 "$REPEATS"); do
  # shellcheck disable=SC2086
  java -jar benchmarks/target/benchmarks.jar "$PATTERN" $JMH_ARGS -rf csv -rff "$OUT/jmh-$r.csv" \
    > "$OUT/jmh-$r.txt"
  TORCH_FILTER=${TORCH_FILTER:-} benchmarks/scripts/torch_env.sh benchmarks/scripts/losses_torch.py \
    > "$OUT/torch-$r.txt"
  echo "# repeat $r done, load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/summary.txt"
done
/usr/bin/python3 - "$OUT" "$REPEATS" <<'PY' | tee -a "$OUT/summary.txt"
import csv, sys
out, repeats = sys.argv[1], int(sys.argv[2])
java, torch = {}, {}
for r in range(1, repeats + 1):
    with open(f"{out}/jmh-{r}.csv") as f:
        for row in csv.DictReader(f):
            name = row["Benchmark"].rsplit(".", 1)[1]
            params = {k[len("Param: "):]: v for k, v in row.items() if k.startswith("Param: ") and v}
            key = (name, tuple(sorted(params.items())))
            java[key] = min(java.get(key, float("inf")), float(row["Score"]))
    with open(f"{out}/torch-{r}.txt") as f:
        for line in f:
            name, params, ms = line.rstrip("\n").split("\t")
            p = tuple(sorted(tuple(kv.split("=")) for kv in params.split()))
            torch[(name, p)] = min(torch.get((name, p), float("inf")), float(ms))
print(f"| kernel | shape | Java ms | PyTorch ms | PyTorch / Java |")
print(f"| --- | --- | ---: | ---: | ---: |")
for (name, jp), jms in sorted(java.items()):
    match = [(tp, tms) for (tn, tp), tms in torch.items() if tn == name and set(jp) <= set(tp)]
    tp, tms = match[0] if match else ((), float("nan"))
    shape = " ".join(f"{k}={v}" for k, v in (tp or jp))
    print(f"| {name} | {shape} | {jms:.2f} | {tms:.2f} | {tms / jms:.2f} |")
PY
