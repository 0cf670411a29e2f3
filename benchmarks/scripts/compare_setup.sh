# Sourced by the side-by-side scripts (adam_compare.sh, speech_compare.sh) from the repository root:
# the environment both sides run under, the benchmark jar, and the header of the raw output file.
# Usage: compare_setup OUT_FILE [source paths whose local changes the header should flag]
compare_setup() {
    local out=$1
    shift
    mkdir -p "$(dirname "$out")"
    export OMP_WAIT_POLICY=PASSIVE
    if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -q avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell; fi
    [ -f benchmarks/target/benchmarks.jar ] || mvn -B -ntp -q -pl benchmarks -am package -DskipTests
    {
        echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- "$@" || echo ' + local changes')"
        echo "$(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    } | tee "$out"
}
