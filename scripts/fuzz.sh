#!/usr/bin/env bash
# Fuzzes every reader harness with Jazzer, one at a time (each is CPU-heavy), and prints a summary.
#
#   scripts/fuzz.sh                 # all five harnesses, 10,000 generated inputs each
#   scripts/fuzz.sh WavReaderFuzzTest
#
# Each harness's @FuzzTest(maxExecutions = 10_000) bounds its run; @Timeout(2 s) makes any input
# slower than 2 s a finding; the JVM is capped at -Xmx2g so a decode that does not fit is an
# OutOfMemoryError, i.e. a finding. Jazzer writes a crashing input into the harness's
# src/test/resources/.../<Harness>Inputs/<method>/ folder, where it becomes a regression input.
# The generated corpus goes to <module>/.cifuzz-corpus/ (git-ignored). Logs: target/fuzz/<harness>.log.
set -uo pipefail
cd "$(dirname "$0")/.."

HARNESSES=(
  "ssl-speech WavReaderFuzzTest"
  "ssl-vision ImageDecoderFuzzTest"
  "ssl-vision IdxReaderFuzzTest"
  "ssl-vision Cifar10BinaryFuzzTest"
  "ssl-core CheckpointFormatFuzzTest"
  "ssl-core EncoderFileFuzzTest"
)
source scripts/cpu_env.sh
mkdir -p target/fuzz
summary=()
status=0
for h in "${HARNESSES[@]}"; do
  read -r module test <<<"$h"
  if [[ $# -gt 0 && ! " $* " =~ " $test " ]]; then
    continue
  fi
  log="target/fuzz/$test.log"
  echo "== $test ($module): fuzzing, log in $log"
  start=$(date +%s)
  JAZZER_FUZZ=1 mvn -B -ntp -o -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dsurefire.argLine="-Xmx2g --add-modules jdk.incubator.vector" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  # libFuzzer's last line: "Done 10000 runs in 12 second(s)"; a finding prints "== Java Exception" or a crash file.
  runs=$(grep -aoE 'Done [0-9]+ runs' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  findings=$(grep -acE '== Java Exception|Test unit written to|ERROR: libFuzzer|Timeout' "$log" || true)
  [[ $rc -ne 0 ]] && status=1
  summary+=("$(printf '%-26s runs=%-7s findings=%-3s maven_rc=%-2s wall=%ss' "$test" "${runs:-?}" "$findings" "$rc" "$secs")")
done
echo
echo "== Fuzzing summary"
printf '%s\n' "${summary[@]}"
exit $status
