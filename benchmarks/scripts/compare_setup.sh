# Sourced by the side-by-side scripts (adam_compare.sh, speech_compare.sh) from the repository root:
# the environment both sides run under, the benchmark jar, and the header of the raw output file.
# Usage: compare_setup OUT_FILE [source paths whose local changes the header should flag]
compare_setup() {
    local out=$1
    shift
    mkdir -p "$(dirname "$out")"
    source scripts/cpu_env.sh
    [ -f benchmarks/target/benchmarks.jar ] || mvn -B -ntp -q -pl benchmarks -am package -DskipTests
    {
        echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- "$@" || echo ' + local changes')"
        echo "$(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
    } | tee "$out"
}
