#!/usr/bin/env bash
# Runs a PyTorch benchmark script under the fair set-up of shared/STACK-NOTES.md:
# OpenBLAS (pthread) instead of Debian torch's reference BLAS, 2 threads, and glibc malloc told to
# keep freed memory so PyTorch is not charged for fresh pages either (ND4J benchmarks preallocate).
set -euo pipefail
export LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export MALLOC_MMAP_MAX_=0
export MALLOC_TRIM_THRESHOLD_=17179869184
export OMP_NUM_THREADS=2
exec /usr/bin/python3 "$@"
