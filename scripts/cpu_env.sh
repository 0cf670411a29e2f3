# Sourced by the project's scripts (CI, studies, benchmarks): the CPU settings ND4J and OpenBLAS need on
# small machines, each only where the caller has not set it.
#  - OMP_WAIT_POLICY=PASSIVE: OpenMP threads spin while idle otherwise; on 2 cores that costs more than
#    it saves (an in-place 1 MB add: 8 ms against 0.05 ms).
#  - OPENBLAS_CORETYPE: OpenBLAS 0.3.19 (bundled with ND4J M2.1) does not know recent AMD cores (Zen 4
#    and 5) and falls back to SSE-era kernels. With AVX-512 (F, BW, DQ, VL: what its SkylakeX kernels
#    use) pick those, else with AVX2 the Haswell ones. On a Zen 5 core the SkylakeX float32 GEMM of
#    the speech model's [392, 256] x [256, 1024] took 0.82-0.85 ms against 1.55 with Haswell's
#    (benchmarks/README.md).
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
if [ -z "${OPENBLAS_CORETYPE:-}" ] && [ -r /proc/cpuinfo ]; then
  _flags=" $(grep -m1 '^flags' /proc/cpuinfo) "
  if [[ $_flags == *" avx512f "* && $_flags == *" avx512bw "* && $_flags == *" avx512dq "* && $_flags == *" avx512vl "* ]]; then
    export OPENBLAS_CORETYPE=SkylakeX
  elif [[ $_flags == *" avx2 "* ]]; then
    export OPENBLAS_CORETYPE=Haswell
  fi
  unset _flags
fi
