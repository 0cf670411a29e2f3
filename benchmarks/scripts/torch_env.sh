#!/usr/bin/env bash
# Runs a PyTorch benchmark script under the fair set-up of shared/STACK-NOTES.md:
# OpenBLAS (pthread) instead of Debian torch's reference BLAS, 2 threads, and glibc malloc told to
# keep freed memory so PyTorch is not charged for fresh pages either (ND4J benchmarks preallocate).
set -euo pipefail
blas=/usr/lib/x86_64-linux-gnu/openblas-pthread
# Without it Debian's torch silently falls back to the reference BLAS: a 256^3 GEMM 20x slower, an
# unfair comparison that looks like a Java win (seen: MoCo v3's loss at 10.4 ms instead of ~0.5).
if [[ ! -e $blas/libblas.so.3 ]]; then
    echo "torch_env.sh: $blas/libblas.so.3 is missing; install it first: apt-get install -y libopenblas0-pthread" >&2
    exit 1
fi
export LD_LIBRARY_PATH=$blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export MALLOC_MMAP_MAX_=0
export MALLOC_TRIM_THRESHOLD_=17179869184
export OMP_NUM_THREADS=2
exec /usr/bin/python3 "$@"
